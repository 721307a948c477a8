using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Issue 13's first increment: an LSTM layer's forward pass (inference, float32) with the step replayed as a compiled
/// plan (the default outside Grad) against the same layer run op by op inside <c>Compile.Eagerly()</c>. The eager row
/// is the baseline; both rows run the same kernels and give the same bits.
/// </summary>
[BenchmarkCategory("Plans")]
public class PlannedScanBenchmarks
{
    [ParamsSource(nameof(Shapes))]
    public RnnShape Shape { get; set; } = null!;

    public static IEnumerable<RnnShape> Shapes => [new(1, 100, 32, 32), new(32, 50, 64, 128)];

    private RecurrentLayer<float> layer = null!;
    private Params<float> parameters = null!;
    private Tensor<float> input = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        layer = RecurrentLayer.Lstm<float>(Shape.Input, Shape.Hidden);
        parameters = layer.Initialize(seed: 1);
        input = Tensor.RandomNormal<float>([Shape.Steps, Shape.Batch, Shape.Input], seed: 2);
    }

    [Benchmark(Baseline = true)]
    public Tensor<float> Eager_Fwd()
    {
        using (Compile.Eagerly()) return layer.Apply(parameters, input).Output;
    }

    [Benchmark]
    public Tensor<float> Planned_Fwd() => layer.Apply(parameters, input).Output;
}
