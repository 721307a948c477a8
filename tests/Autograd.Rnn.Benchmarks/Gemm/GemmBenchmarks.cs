using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Ours through Tensor.MatMul on constants against libtorch's torch.matmul (MKL), on operands of the subclass's size.
/// Our row's process never loads libtorch: its idle OpenMP threads would compete with us for the cores.
/// </summary>
public abstract class GemmBenchmarks
{
    private GemmOperands operands = null!;

    /// <summary>[M,K]·[K,N] of the current parameter.</summary>
    protected abstract (int M, int K, int N) Dimensions { get; }

    [GlobalSetup(Target = nameof(Ours_MatMul))]
    public void SetupOurs() => operands = new GemmOperands(Dimensions.M, Dimensions.K, Dimensions.N, withTorch: false);

    [GlobalSetup(Target = nameof(Torch_MatMul))]
    public void SetupTorch() => operands = new GemmOperands(Dimensions.M, Dimensions.K, Dimensions.N, withTorch: true);

    [GlobalCleanup]
    public void Cleanup() => operands.Dispose();

    [Benchmark(Baseline = true)]
    public Tensor<float> Ours_MatMul() => operands.Ours();

    [Benchmark]
    public void Torch_MatMul() => operands.Torch();
}

/// <summary>Square float32 matrix products.</summary>
[BenchmarkCategory("Gemm")]
public class GemmSquareBenchmarks : GemmBenchmarks
{
    [Params(64, 128, 256, 512, 1024)]
    public int Size { get; set; }

    protected override (int M, int K, int N) Dimensions => (Size, Size, Size);
}

/// <summary>
/// The matrix products inside an LSTM of issue 4's sizes (see <see cref="Shapes.RecurrentGemm"/>): one step's
/// batch × input → 4·hidden and batch × hidden → 4·hidden, and all steps' input projection at once.
/// </summary>
[BenchmarkCategory("Gemm")]
public class GemmRecurrentShapeBenchmarks : GemmBenchmarks
{
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    public static IEnumerable<GemmShape> Shapes => Benchmarks.Shapes.RecurrentGemm;

    protected override (int M, int K, int N) Dimensions => (Shape.M, Shape.K, Shape.N);
}

/// <summary>The same [M,K]·[K,N] operands on both sides (values from one seed); libtorch's only when asked for.</summary>
internal sealed class GemmOperands : IDisposable
{
    private readonly Tensor<float> a, b;
    private readonly torch.Tensor? ta, tb;

    public GemmOperands(int m, int k, int n, bool withTorch)
    {
        a = Tensor.RandomNormal<float>([m, k], seed: 1);
        b = Tensor.RandomNormal<float>([k, n], seed: 2);
        if (!withTorch) return;
        Benchmarks.Torch.Setup();
        ta = torch.tensor(a.ToArray(), [m, k], dtype: torch.float32);
        tb = torch.tensor(b.ToArray(), [k, n], dtype: torch.float32);
    }

    public Tensor<float> Ours() => Tensor.MatMul(a, b);

    public void Torch()
    {
        using var product = torch.matmul(ta!, tb!);
    }

    public void Dispose()
    {
        ta?.Dispose();
        tb?.Dispose();
    }
}
