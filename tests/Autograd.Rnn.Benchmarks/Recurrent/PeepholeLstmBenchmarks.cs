using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// A user's custom cell against our built-in LSTM of the same size (issue 4's target: ≤ 1.1, composition costs
/// nothing). The cell is the peephole LSTM of examples/PeepholeLstm/Program.cs, its step and initialiser copied
/// verbatim, run by the same RecurrentLayer. Unlike the built-in cell it declares no input projection, so it
/// multiplies the input at every step instead of once for all steps: that difference is part of what is measured.
/// </summary>
[BenchmarkCategory("Peephole")]
public class PeepholeLstmBenchmarks
{
    [ParamsSource(nameof(Shapes))]
    public RnnShape Shape { get; set; } = null!;

    public static IEnumerable<RnnShape> Shapes => Benchmarks.Shapes.Recurrent;

    private RecurrentLayer<float> builtin = null!, peephole = null!, peepholeProjected = null!;
    private Params<float> builtinParameters = null!, peepholeParameters = null!;
    private Params<float> builtinAndInput = null!, peepholeAndInput = null!;
    private Tensor<float> input = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        builtin = RecurrentLayer.Lstm<float>(Shape.Input, Shape.Hidden);
        peephole = new RecurrentLayer<float>(new Cell<float>("peephole LSTM", PeepholeStep, PeepholeInit<float>, stateParts: 2),
            Shape.Input, Shape.Hidden);
        peepholeProjected = new RecurrentLayer<float>(new Cell<float>("peephole LSTM, projected", ProjectedPeepholeStep,
            PeepholeInit<float>, stateParts: 2, inputProjection: PeepholeProjection), Shape.Input, Shape.Hidden);
        input = Tensor.RandomNormal<float>([Shape.Steps, Shape.Batch, Shape.Input], seed: 2);
        builtinParameters = builtin.Initialize(seed: 1);
        peepholeParameters = peephole.Initialize(seed: 1);
        builtinAndInput = builtinParameters.Add("input", input);
        peepholeAndInput = peepholeParameters.Add("input", input);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Fwd")]
    public Tensor<float> BuiltinLstm_Fwd() => builtin.Apply(builtinParameters, input).Output;

    [Benchmark, BenchmarkCategory("Fwd")]
    public Tensor<float> Peephole_Fwd() => peephole.Apply(peepholeParameters, input).Output;

    [Benchmark(Baseline = true), BenchmarkCategory("FwdBwd")]
    public GradientResult<float> BuiltinLstm_FwdBwd() =>
        Grad.ValueAndGrad(p => Tensor.Sum(builtin.Apply(p, p["input"]).Output), builtinAndInput);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Peephole_FwdBwd() =>
        Grad.ValueAndGrad(p => Tensor.Sum(peephole.Apply(p, p["input"]).Output), peepholeAndInput);

    /// <summary>The same cell declaring its input projection, as the built-in cells do: the pure cost of composition.</summary>
    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> PeepholeProjected_FwdBwd() =>
        Grad.ValueAndGrad(p => Tensor.Sum(peepholeProjected.Apply(p, p["input"]).Output), peepholeAndInput);

    // The example's cell split the way a Cell's inputProjection allows: x·W_ihᵀ + bias for all steps at once, then
    // the recurrence on the projected input. Same function, same parameters.
    private static Tensor<T> PeepholeProjection<T>(Params<T> p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.MatMulTransposeB(x, p["weight_ih"]) + p["bias"];

    private static RecurrentState<T> ProjectedPeepholeStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, c) = (state[0], state[1]);
        var gates = Tensor.Chunk(projected + Tensor.MatMulTransposeB(h, p["weight_hh"]), 4, axis: 1);
        var input = Tensor.Sigmoid(gates[0] + p["peephole_i"] * c);
        var forget = Tensor.Sigmoid(gates[1] + p["peephole_f"] * c);
        var cell = forget * c + input * Tensor.Tanh(gates[2]);
        var output = Tensor.Sigmoid(gates[3] + p["peephole_o"] * cell);
        return RecurrentState<T>.Of(output * Tensor.Tanh(cell), cell);
    }

    // ---- copied from examples/PeepholeLstm/Program.cs ----

    // i = σ(W_i·x + U_i·h + p_i⊙c + b_i), f = σ(W_f·x + U_f·h + p_f⊙c + b_f), c' = f⊙c + i⊙tanh(W_g·x + U_g·h + b_g),
    // o = σ(W_o·x + U_o·h + p_o⊙c' + b_o), h' = o⊙tanh(c').
    private static RecurrentState<T> PeepholeStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (h, c) = (state[0], state[1]);
        var gates = Tensor.Chunk(Tensor.MatMulTransposeB(x, p["weight_ih"]) + Tensor.MatMulTransposeB(h, p["weight_hh"]) + p["bias"], 4, axis: 1);
        var input = Tensor.Sigmoid(gates[0] + p["peephole_i"] * c);
        var forget = Tensor.Sigmoid(gates[1] + p["peephole_f"] * c);
        var cell = forget * c + input * Tensor.Tanh(gates[2]);
        var output = Tensor.Sigmoid(gates[3] + p["peephole_o"] * cell);
        return RecurrentState<T>.Of(output * Tensor.Tanh(cell), cell);
    }

    private static Params<T> PeepholeInit<T>(int inputSize, int hiddenSize, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T> => Params<T>.Empty
        .Add("weight_ih", Init.PyTorchDefault<T>([4 * hiddenSize, inputSize], hiddenSize, seed))
        .Add("weight_hh", Init.Orthogonal<T>(4 * hiddenSize, hiddenSize, seed + 1))
        .Add("bias", Init.PyTorchDefault<T>([4 * hiddenSize], hiddenSize, seed + 2))
        .Add("peephole_i", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 3))
        .Add("peephole_f", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 4))
        .Add("peephole_o", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 5));
}
