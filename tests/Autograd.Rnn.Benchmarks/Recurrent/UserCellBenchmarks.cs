using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Issue 13's user-cell targets: cells a researcher writes from public ops, run by the same RecurrentLayer as our
/// built-in LSTM (the baseline) at the same sizes, training step (loss = sum of the outputs, gradients of every parameter
/// and of the input). Both declare an input projection, as the built-in cells do, so what differs is the step's
/// composition: a minimal gated unit (MGU; Zhou et al. 2016: one gate, two matrix products per step) and an LSTM with
/// layer normalisation of both gate pre-activations and of the cell (Ba et al. 2016, section 3.1). Targets: MGU ≤ 1.1×,
/// layer-norm LSTM ≤ 1.3× the built-in LSTM.
/// </summary>
[BenchmarkCategory("UserCell")]
public class UserCellBenchmarks
{
    [ParamsSource(nameof(Shapes))]
    public RnnShape Shape { get; set; } = null!;

    public static IEnumerable<RnnShape> Shapes => Benchmarks.Shapes.Recurrent;

    private RecurrentLayer<float> builtin = null!, mgu = null!, layerNormLstm = null!;
    private Params<float> builtinAndInput = null!, mguAndInput = null!, layerNormAndInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        var input = Tensor.RandomNormal<float>([Shape.Steps, Shape.Batch, Shape.Input], seed: 2);
        builtin = RecurrentLayer.Lstm<float>(Shape.Input, Shape.Hidden);
        mgu = new RecurrentLayer<float>(new Cell<float>("MGU", MguStep, MguInit, inputProjection: MguProjection),
            Shape.Input, Shape.Hidden);
        layerNormLstm = new RecurrentLayer<float>(new Cell<float>("layer-norm LSTM", LayerNormLstmStep, LayerNormLstmInit,
            stateParts: 2, inputProjection: LayerNormLstmProjection), Shape.Input, Shape.Hidden);
        builtinAndInput = builtin.Initialize(seed: 1).Add("input", input);
        mguAndInput = mgu.Initialize(seed: 1).Add("input", input);
        layerNormAndInput = layerNormLstm.Initialize(seed: 1).Add("input", input);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("FwdBwd")]
    public GradientResult<float> BuiltinLstm_FwdBwd() => TrainingStep(builtin, builtinAndInput);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Mgu_FwdBwd() => TrainingStep(mgu, mguAndInput);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public GradientResult<float> LayerNormLstm_FwdBwd() => TrainingStep(layerNormLstm, layerNormAndInput);

    private static GradientResult<float> TrainingStep(RecurrentLayer<float> layer, Params<float> parametersAndInput) =>
        Grad.ValueAndGrad(p => Tensor.Sum(layer.Apply(p, p["input"]).Output), parametersAndInput);

    // MGU: f = σ(W_f x + U_f h + b_f), h̃ = tanh(W_h x + U_h (f ⊙ h) + b_h), h' = h + f ⊙ (h̃ − h). The projection
    // gives [W_f x + b_f, W_h x + b_h] for all steps at once.
    private static Tensor<float> MguProjection(Params<float> p, Tensor<float> x) =>
        Tensor.MatMulTransposeB(x, p["weight_ih"]) + p["bias"];

    private static RecurrentState<float> MguStep(Params<float> p, RecurrentState<float> state, Tensor<float> projected)
    {
        var h = state.Hidden;
        var parts = Tensor.Chunk(projected, 2, axis: 1);
        var forget = Tensor.Sigmoid(parts[0] + Tensor.MatMulTransposeB(h, p["weight_hf"]));
        var candidate = Tensor.Tanh(parts[1] + Tensor.MatMulTransposeB(forget * h, p["weight_hh"]));
        return RecurrentState<float>.Of(h + forget * (candidate - h));
    }

    private static Params<float> MguInit(int inputSize, int hiddenSize, ulong seed) => Params<float>.Empty
        .Add("weight_ih", Init.PyTorchDefault<float>([2 * hiddenSize, inputSize], hiddenSize, seed))
        .Add("weight_hf", Init.Orthogonal<float>(hiddenSize, hiddenSize, seed + 1))
        .Add("weight_hh", Init.Orthogonal<float>(hiddenSize, hiddenSize, seed + 2))
        .Add("bias", Init.PyTorchDefault<float>([2 * hiddenSize], hiddenSize, seed + 3));

    // Layer-norm LSTM: gates = LN(W_ih x) + LN(W_hh h) + b (i, f, g, o as PyTorch orders them), c' = f ⊙ c + i ⊙ tanh g,
    // h' = o ⊙ tanh(LN(c')). The input's normalisation runs once for all steps, in the projection.
    private static Tensor<float> LayerNormLstmProjection(Params<float> p, Tensor<float> x) =>
        Tensor.LayerNorm(Tensor.MatMulTransposeB(x, p["weight_ih"]), p["ln_ih_weight"], p["ln_ih_bias"]);

    private static RecurrentState<float> LayerNormLstmStep(Params<float> p, RecurrentState<float> state, Tensor<float> projected)
    {
        var (h, c) = (state[0], state[1]);
        var recurrent = Tensor.LayerNorm(Tensor.MatMulTransposeB(h, p["weight_hh"]), p["ln_hh_weight"], p["ln_hh_bias"]);
        var gates = Tensor.Chunk(projected + recurrent, 4, axis: 1);
        var cell = Tensor.Sigmoid(gates[1]) * c + Tensor.Sigmoid(gates[0]) * Tensor.Tanh(gates[2]);
        var hidden = Tensor.Sigmoid(gates[3]) * Tensor.Tanh(Tensor.LayerNorm(cell, p["ln_c_weight"], p["ln_c_bias"]));
        return RecurrentState<float>.Of(hidden, cell);
    }

    private static Params<float> LayerNormLstmInit(int inputSize, int hiddenSize, ulong seed) => Params<float>.Empty
        .Add("weight_ih", Init.PyTorchDefault<float>([4 * hiddenSize, inputSize], hiddenSize, seed))
        .Add("weight_hh", Init.Orthogonal<float>(4 * hiddenSize, hiddenSize, seed + 1))
        .Add("ln_ih_weight", Tensor.Ones<float>(4 * hiddenSize))
        .Add("ln_ih_bias", Tensor.Zeros<float>(4 * hiddenSize))
        .Add("ln_hh_weight", Tensor.Ones<float>(4 * hiddenSize))
        .Add("ln_hh_bias", Init.PyTorchDefault<float>([4 * hiddenSize], hiddenSize, seed + 2))
        .Add("ln_c_weight", Tensor.Ones<float>(hiddenSize))
        .Add("ln_c_bias", Tensor.Zeros<float>(hiddenSize));
}
