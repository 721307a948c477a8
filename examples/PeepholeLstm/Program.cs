// A custom recurrent cell written by a user: the peephole LSTM of Gers, Schraudolph and Schmidhuber (2002),
// where the gates also look at the cell state. It is a plain function of public ops; the library gives it
// unrolling, stacking, bidirectional runs, masking of padded batches and gradients without further code.
//
//   dotnet run --project examples/PeepholeLstm -c Release
//   dotnet run --project examples/PeepholeLstm -c Release -- --quick   (CI; the same run: it takes seconds anyway)
using Autograd.Rnn;

bool quick = args.Contains("--quick");

const int InputSize = 1, HiddenSize = 8, Steps = 12, Batch = 16;

// i = σ(W_i·x + U_i·h + p_i⊙c + b_i), f = σ(W_f·x + U_f·h + p_f⊙c + b_f), c' = f⊙c + i⊙tanh(W_g·x + U_g·h + b_g),
// o = σ(W_o·x + U_o·h + p_o⊙c' + b_o), h' = o⊙tanh(c').
static RecurrentState<T> PeepholeStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> x)
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    var (h, c) = (state[0], state[1]);
    var gates = Tensor.Chunk(Tensor.MatMulTransposeB(x, p["weight_ih"]) + Tensor.MatMulTransposeB(h, p["weight_hh"]) + p["bias"], 4, axis: 1);
    var input = Tensor.Sigmoid(gates[0] + p["peephole_i"] * c);
    var forget = Tensor.Sigmoid(gates[1] + p["peephole_f"] * c);
    var cell = forget * c + input * Tensor.Tanh(gates[2]);
    var output = Tensor.Sigmoid(gates[3] + p["peephole_o"] * cell);
    return RecurrentState<T>.Of(output * Tensor.Tanh(cell), cell);
}

static Params<T> PeepholeInit<T>(int inputSize, int hiddenSize, ulong seed)
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Params<T>.Empty
    .Add("weight_ih", Init.PyTorchDefault<T>([4 * hiddenSize, inputSize], hiddenSize, seed))
    .Add("weight_hh", Init.Orthogonal<T>(4 * hiddenSize, hiddenSize, seed + 1))
    .Add("bias", Init.PyTorchDefault<T>([4 * hiddenSize], hiddenSize, seed + 2))
    .Add("peephole_i", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 3))
    .Add("peephole_f", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 4))
    .Add("peephole_o", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 5));

static Cell<T> Peephole<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
    new("peephole LSTM", PeepholeStep, PeepholeInit<T>, stateParts: 2);

// 1. Its gradients are right: a 2-layer bidirectional layer over a padded batch, checked in double.
var checkLayer = new RecurrentLayer<double>(Peephole<double>(), 2, 3, new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true });
var checkParameters = checkLayer.Initialize(seed: 1).Add("input", Tensor.RandomNormal<double>([4, 3, 2], seed: 2));
var check = GradCheck.Run(p => checkLayer.Apply(p, p["input"], lengths: [4, 2, 3]).Output, checkParameters);
Console.WriteLine($"gradient check of a 2-layer bidirectional peephole LSTM over a padded batch: {check}");
if (!check.Passed) return 1;

// 2. It learns: read a sequence of numbers, predict their mean (many-to-one), by plain gradient descent in float.
var layer = new RecurrentLayer<float>(Peephole<float>(), InputSize, HiddenSize);
var parameters = layer.Initialize(seed: 3).Concat(Linear.Init<float>(HiddenSize, 1, seed: 4).WithPrefix("readout."));
var inputs = Tensor.RandomUniform<float>([Steps, Batch, InputSize], seed: 5, low: -1, high: 1);
var targets = inputs.Mean(axis: 0);   // [Batch, 1]
// The baseline: the best constant answer, the targets' own mean, whose squared error is the targets' variance.
float[] targetValues = targets.ToArray();
float baseline = targetValues.Select(t => (t - targetValues.Average()) * (t - targetValues.Average())).Average();
Console.WriteLine($"baseline: the best constant answer (the targets' mean) has loss {baseline:F5}; the model should end below it");
if (quick) Console.WriteLine("quick mode: the same run as without --quick (it takes seconds), so it is expected to beat the baseline too");

Tensor<float> MeanSquaredError(Params<float> p) =>
    Loss.Mse(Linear.Apply(p.Select("readout."), layer.Apply(p, inputs).LastLayerHidden), targets);

float first = 0, last = 0;
for (int step = 0; step <= 60; step++)
{
    var result = Grad.ValueAndGrad(MeanSquaredError, parameters);
    parameters = parameters.Zip(result.Gradients, (w, g) => w - 0.5f * g);
    last = result.Value.Item;
    if (step == 0) first = last;
    if (step % 10 == 0) Console.WriteLine($"step {step,3}  loss {last:F5}");
}
Console.WriteLine($"loss fell from {first:F5} to {last:F5} (baseline {baseline:F5})");
return last < first / 2 && last < baseline ? 0 : 1;
