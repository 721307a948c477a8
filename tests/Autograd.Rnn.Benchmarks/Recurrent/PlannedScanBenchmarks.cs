using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Issue 13: an LSTM layer, float32, with plans (the default) against the same layer run op by op inside
/// <c>Compile.Eagerly()</c> (the baseline of each category). <c>Fwd</c>: inference, the step replayed as a compiled plan;
/// both rows give the same bits. <c>FwdBwd</c>: a training step (loss = sum of the outputs, gradients of every parameter
/// and of the input), the unroll run as one planned op whose VJP replays the step's recorded backward plan.
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
    private Params<float> parametersAndInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        layer = RecurrentLayer.Lstm<float>(Shape.Input, Shape.Hidden);
        parameters = layer.Initialize(seed: 1);
        input = Tensor.RandomNormal<float>([Shape.Steps, Shape.Batch, Shape.Input], seed: 2);
        parametersAndInput = parameters.Add("input", input);
        Console.WriteLine($"// {Shape}: BPTT must keep {RecurrentKind.Lstm.BpttBytes(Shape):N0} bytes per training step");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Fwd")]
    public Tensor<float> Eager_Fwd()
    {
        using (Compile.Eagerly()) return layer.Apply(parameters, input).Output;
    }

    [Benchmark, BenchmarkCategory("Fwd")]
    public Tensor<float> Planned_Fwd() => layer.Apply(parameters, input).Output;

    [Benchmark(Baseline = true), BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Eager_FwdBwd()
    {
        using (Compile.Eagerly()) return FwdBwd();
    }

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Planned_FwdBwd() => FwdBwd();

    private GradientResult<float> FwdBwd() => Grad.ValueAndGrad(p => Tensor.Sum(layer.Apply(p, p["input"]).Output), parametersAndInput);
}
