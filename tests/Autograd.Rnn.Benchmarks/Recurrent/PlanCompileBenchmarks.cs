using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Issue 13's compile-time target (≤ 50 ms for an LSTM step, independent of T): what recording a step costs. Forward:
/// an LSTM cell's step compiled afresh on every call (<c>Compile.Function</c>, first call = record + build the plan)
/// against the same step run eagerly (the baseline). Training: one time step of an LSTM layer's fwd+bwd, planned (records
/// the step and its VJP, builds both plans, then runs them once) against eager. A Scan records once per call whatever
/// its length, so the difference between the rows of a pair is the compile cost of every training step.
/// </summary>
[BenchmarkCategory("Plans", "Compile")]
public class PlanCompileBenchmarks
{
    [ParamsSource(nameof(Shapes))]
    public RnnShape Shape { get; set; } = null!;

    public static IEnumerable<RnnShape> Shapes => [new(1, 1, 32, 32), new(32, 1, 64, 128), new(64, 1, 256, 512)];

    private Cell<float> cell = null!;
    private Params<float> cellParameters = null!;
    private Tensor<float>[] stepInputs = null!;
    private RecurrentLayer<float> layer = null!;
    private Params<float> layerAndInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        cell = Cells.Lstm<float>();
        cellParameters = cell.Initialize(Shape.Input, Shape.Hidden, seed: 1);
        stepInputs =
        [
            Tensor.RandomNormal<float>([Shape.Batch, Shape.Hidden], seed: 2),
            Tensor.RandomNormal<float>([Shape.Batch, Shape.Hidden], seed: 3),
            Tensor.RandomNormal<float>([Shape.Batch, Shape.Input], seed: 4),
        ];
        layer = RecurrentLayer.Lstm<float>(Shape.Input, Shape.Hidden);
        layerAndInput = layer.Initialize(seed: 1).Add("input", Tensor.RandomNormal<float>([Shape.Steps, Shape.Batch, Shape.Input], seed: 5));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Fwd")]
    public Tensor<float>[] Eager_LstmStep()
    {
        using (Compile.Eagerly()) return LstmStep(stepInputs);
    }

    [Benchmark, BenchmarkCategory("Fwd")]
    public Tensor<float>[] Compile_LstmStep_FirstCall() => Compile.Function<float>(LstmStep)(stepInputs);

    [Benchmark(Baseline = true), BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Eager_OneStep_FwdBwd()
    {
        using (Compile.Eagerly()) return OneStepFwdBwd();
    }

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Planned_OneStep_FwdBwd() => OneStepFwdBwd();

    private Tensor<float>[] LstmStep(Tensor<float>[] inputs)
    {
        var next = cell.Step(cellParameters, RecurrentState<float>.Of(inputs[0], inputs[1]), inputs[2]);
        return [next[0], next[1]];
    }

    private GradientResult<float> OneStepFwdBwd() => Grad.ValueAndGrad(p => Tensor.Sum(layer.Apply(p, p["input"]).Output), layerAndInput);
}
