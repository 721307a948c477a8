using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Autograd.Rnn.Benchmarks;

/// <summary>What the custom columns share: a name, a legend, and a value computed from the summary.</summary>
public abstract class ComputedColumn(string name, string legend) : IColumn
{
    public string Id => GetType().Name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    /// <summary>Shown only when some row of the summary has a value.</summary>
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Compute(summary, c) is not null);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => Compute(summary, benchmarkCase) ?? "-";

    protected abstract string? Compute(Summary summary, BenchmarkCase benchmarkCase);

    protected static double? MeanNanoseconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean;

    /// <summary>The job's thread count (its DOTNET_PROCESSOR_COUNT), or this process's processor count.</summary>
    protected static int Threads(BenchmarkCase benchmarkCase)
    {
        var variable = benchmarkCase.Job.Environment.EnvironmentVariables?.FirstOrDefault(v => v.Key == BenchThreads.Variable);
        return variable is not null && int.TryParse(variable.Value, out int n) ? n : Environment.ProcessorCount;
    }

    protected static object? Parameter(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;
}

/// <summary>Floating-point operations per second, for the GEMM and FMA-peak benchmarks.</summary>
public sealed class GflopsColumn() : ComputedColumn("GFLOP/s",
    "Floating-point operations per second: 2·M·N·K per matrix product; 2 × 16 lanes per Vector512 FMA (× threads) for the peak")
{
    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? flops = benchmarkCase.Descriptor.Type.Name switch
        {
            nameof(GemmSquareBenchmarks) => 2.0 * Math.Pow((int)Parameter(benchmarkCase, "Size")!, 3),
            nameof(GemmRecurrentShapeBenchmarks) => ((GemmShape)Parameter(benchmarkCase, "Shape")!).Flops,
            nameof(FmaPeakBenchmarks) => FmaPeakBenchmarks.FlopsPerInvocation(benchmarkCase.Descriptor.WorkloadMethod.Name, Threads(benchmarkCase)),
            _ => null,
        };
        var mean = MeanNanoseconds(summary, benchmarkCase);
        return flops is null || mean is null or <= 0 ? null : (flops.Value / mean.Value).ToString("F1");
    }
}

/// <summary>The memory BPTT must keep for one training step, beside our forward+backward rows.</summary>
public sealed class BpttBytesColumn() : ComputedColumn("BPTT KB",
    "KB that backpropagation through time must keep (float32): activations per step ([B,H] each: LSTM i,f,g,o,c,h; GRU r,z,n,W_hn·h+b_hn,h; RNN h) × T, plus gradients of all parameters and of the input")
{
    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase) =>
        BpttBytes(benchmarkCase) is long bytes ? (bytes / 1024.0).ToString("N1") : null;

    /// <summary>The BPTT bytes for an "ours, forward+backward" row; null for any other row.</summary>
    public static long? BpttBytes(BenchmarkCase benchmarkCase)
    {
        if (!benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("_FwdBwd", StringComparison.Ordinal)
            || benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Torch", StringComparison.Ordinal)) return null;
        if (Parameter(benchmarkCase, "Shape") is not RnnShape shape) return null;
        var kind = benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Peephole", StringComparison.Ordinal)
            ? RecurrentKind.PeepholeLstm
            : benchmarkCase.Descriptor.Type.Name switch
            {
                nameof(LstmBenchmarks) or nameof(PeepholeLstmBenchmarks) => RecurrentKind.Lstm,
                nameof(GruBenchmarks) => RecurrentKind.Gru,
                nameof(RnnBenchmarks) => RecurrentKind.Rnn,
                _ => (RecurrentKind?)null,
            };
        return kind?.BpttBytes(shape);
    }
}

/// <summary>Bytes allocated per training step over the BPTT bytes (issue 4's target: ≤ 2).</summary>
public sealed class AllocatedOverBpttColumn() : ComputedColumn("Alloc/BPTT",
    "Bytes allocated per operation (MemoryDiagnoser) ÷ BPTT bytes; issue 4's target is ≤ 2 for the LSTM training step")
{
    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (BpttBytesColumn.BpttBytes(benchmarkCase) is not long bytes) return null;
        var report = summary[benchmarkCase];
        long? allocated = report?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return allocated is null ? null : ((double)allocated.Value / bytes).ToString("F2");
    }
}

/// <summary>
/// For our rows: our mean ÷ the fastest correct libtorch nn-module path in the same group (same job, parameters and
/// category), the ratio issue 4's targets are stated in (≤ 1 means we are faster). BenchmarkDotNet's own Ratio column
/// is the other way round: each row ÷ our baseline row.
/// </summary>
public sealed class OursOverLibtorchColumn() : ComputedColumn("Ours/libtorch",
    "Our mean ÷ the faster of libtorch's nn-module paths (oneDNN on/off) in the same job, parameters and category; rows whose results are known wrong are left out")
{
    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (!benchmarkCase.Descriptor.Baseline) return null;
        var ours = MeanNanoseconds(summary, benchmarkCase);
        if (ours is null) return null;
        var references = summary.BenchmarksCases.Where(other =>
                other.Descriptor.Type == benchmarkCase.Descriptor.Type
                && other.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo
                && other.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo
                && other.Descriptor.Categories.SequenceEqual(benchmarkCase.Descriptor.Categories)
                && IsLibtorchReference(other))
            .Select(other => MeanNanoseconds(summary, other))
            .Where(mean => mean is > 0)
            .ToList();
        return references.Count == 0 ? null : (ours.Value / references.Min()!.Value).ToString("F2");
    }

    /// <summary>libtorch's nn.LSTM/GRU/RNN and torch.matmul rows, less those known to compute wrong values.</summary>
    private static bool IsLibtorchReference(BenchmarkCase benchmarkCase)
    {
        var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        return (method.StartsWith("Torch_nn", StringComparison.Ordinal) || method == "Torch_MatMul")
            && Notes.KnownWrong(benchmarkCase) is null;
    }
}

/// <summary>A note for rows whose figure needs one.</summary>
public sealed class NotesColumn() : ComputedColumn("Note", "Caveats on a row")
{
    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase) => Notes.KnownWrong(benchmarkCase);
}

public static class Notes
{
    /// <summary>
    /// libtorch 2.10 with oneDNN computes float32 nn.LSTM inference (no_grad) wrongly on this CPU (up to 0.34 off the
    /// LSTM equations, shared/notes/torchsharp-here.md): its forward-only oneDNN LSTM row times a wrong computation.
    /// </summary>
    public static string? KnownWrong(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type.Name == nameof(LstmBenchmarks)
        && benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(RecurrentBenchmarks.Torch_nn_OneDnn_Fwd)
            ? "WRONG VALUES (oneDNN fp32 LSTM inference bug here); timed only"
            : null;
}
