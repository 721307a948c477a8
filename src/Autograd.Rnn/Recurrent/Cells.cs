using System.Numerics;

namespace Autograd.Rnn;

/// <summary>The activation of a vanilla RNN cell.</summary>
public enum Nonlinearity
{
    /// <summary>h' = tanh(…), PyTorch's default.</summary>
    Tanh,

    /// <summary>h' = relu(…).</summary>
    Relu,
}

/// <summary>Where a GRU applies its reset gate.</summary>
public enum GruVariant
{
    /// <summary>PyTorch/cuDNN: n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)).</summary>
    PyTorch,

    /// <summary>Cho et al. (2014), eq. 8: n = tanh(W_in·x + b_in + W_hn·(r ⊙ h) + b_hn) — the reset is applied before the product.</summary>
    Cho,
}

/// <summary>
/// The built-in cells, written only with public ops, with PyTorch's parameter names and layouts (<c>weight_ih</c>
/// [G·H, I], <c>weight_hh</c> [G·H, H], <c>bias_ih</c>, <c>bias_hh</c> [G·H]) and gate orders. Each projects the inputs
/// of many time steps at once (x·W_ihᵀ + b_ih, plus b_hh where the equations allow); the step itself only does the
/// recurrent product and the gate math.
/// </summary>
public static class Cells
{
    /// <summary>Elman's RNN: h' = act(W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    public static Cell<T> Rnn<T>(Nonlinearity nonlinearity = Nonlinearity.Tanh, CellInitialization? initialization = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var init = initialization ?? CellInitialization.Default;
        // One step function per nonlinearity rather than a lambda testing it: a step that captures nothing keeps its
        // recorded plans across training calls (StepVjpPlans).
        return new Cell<T>(nonlinearity == Nonlinearity.Tanh ? "RNN_TANH" : "RNN_RELU",
            nonlinearity == Nonlinearity.Tanh
                ? static (p, state, projected) => RecurrentState<T>.Of(Tensor.Tanh(projected + Recurrent(p, state.Hidden)))
                : static (p, state, projected) => RecurrentState<T>.Of(Tensor.Relu(projected + Recurrent(p, state.Hidden))),
            (inputSize, hiddenSize, seed) => init.Create<T>(1, inputSize, hiddenSize, seed),
            parameterShapes: (inputSize, hiddenSize) => init.Shapes(1, inputSize, hiddenSize),
            stateParts: 1,
            inputProjection: ProjectWithBothBiases);
    }

    /// <summary>
    /// Hochreiter and Schmidhuber's LSTM with PyTorch's gate order i, f, g, o; state (h, c):
    /// c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c').
    /// </summary>
    public static Cell<T> Lstm<T>(CellInitialization? initialization = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var init = initialization ?? CellInitialization.Default;
        return new Cell<T>("LSTM",
            (p, state, projected) =>
            {
                var gates = Tensor.Chunk(projected + Recurrent(p, state.Hidden), 4, axis: 1);
                var c = Tensor.Sigmoid(gates[1]) * state[1] + Tensor.Sigmoid(gates[0]) * Tensor.Tanh(gates[2]);
                var h = Tensor.Sigmoid(gates[3]) * Tensor.Tanh(c);
                return RecurrentState<T>.Of(h, c);
            },
            (inputSize, hiddenSize, seed) => init.Create<T>(4, inputSize, hiddenSize, seed),
            parameterShapes: (inputSize, hiddenSize) => init.Shapes(4, inputSize, hiddenSize),
            stateParts: 2,
            inputProjection: ProjectWithBothBiases);
    }

    /// <summary>
    /// Cho et al.'s GRU with PyTorch's gate order r, z, n: r = σ(W_ir·x + b_ir + W_hr·h + b_hr),
    /// z = σ(W_iz·x + b_iz + W_hz·h + b_hz), n as the <paramref name="variant"/> says, h' = (1 − z) ⊙ n + z ⊙ h.
    /// </summary>
    public static Cell<T> Gru<T>(GruVariant variant = GruVariant.PyTorch, CellInitialization? initialization = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var init = initialization ?? CellInitialization.Default;
        return new Cell<T>(variant == GruVariant.PyTorch ? "GRU" : "GRU (Cho et al.)",
            variant == GruVariant.PyTorch ? GruStep : ChoGruStep,
            (inputSize, hiddenSize, seed) => init.Create<T>(3, inputSize, hiddenSize, seed),
            parameterShapes: (inputSize, hiddenSize) => init.Shapes(3, inputSize, hiddenSize),
            stateParts: 1,
            inputProjection: variant == GruVariant.PyTorch ? ProjectGru : ProjectWithBothBiases);
    }

    private static RecurrentState<T> GruStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = state.Hidden;
        int hidden = h.Shape[1];
        var x = Tensor.Chunk(projected, 3, axis: 1);
        var r_z_n = Tensor.Chunk(Recurrent(p, h), 3, axis: 1);
        var r = Tensor.Sigmoid(x[0] + r_z_n[0]);
        var z = Tensor.Sigmoid(x[1] + r_z_n[1]);
        var candidate = HasBiases(p) ? r_z_n[2] + Tensor.Narrow(p["bias_hh"], 0, 2 * hidden, hidden) : r_z_n[2];
        var n = Tensor.Tanh(x[2] + r * candidate);
        return RecurrentState<T>.Of(n + z * (h - n)); // = (1 − z) ⊙ n + z ⊙ h with one product fewer
    }

    private static RecurrentState<T> ChoGruStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = state.Hidden;
        int hidden = h.Shape[1];
        var weight = p["weight_hh"];
        var x = Tensor.Chunk(projected, 3, axis: 1);
        var gatesRz = Tensor.MatMulTransposeB(h, Tensor.Narrow(weight, 0, 0, 2 * hidden));
        var candidate = Tensor.MatMulTransposeB(Tensor.Sigmoid(x[0] + Tensor.Narrow(gatesRz, 1, 0, hidden)) * h,
            Tensor.Narrow(weight, 0, 2 * hidden, hidden));
        var z = Tensor.Sigmoid(x[1] + Tensor.Narrow(gatesRz, 1, hidden, hidden));
        var n = Tensor.Tanh(x[2] + candidate);
        return RecurrentState<T>.Of(n + z * (h - n));
    }

    // Where a cell adds b_hh straight to the gate preactivations, the sum b_ih + b_hh is added once, to the projection
    // of all time steps, instead of once per step: the same function (up to rounding order), one [B, G·H] temporary and
    // one bias reduction per step fewer. Tensor.Linear writes that bias into each row of the projection and adds the
    // product into it, so a block of steps costs one [rows, G·H] array and one pass, not a product and then its sum.

    /// <summary>x [rows, I] -> x·W_ihᵀ + (b_ih + b_hh) [rows, G·H].</summary>
    private static Tensor<T> ProjectWithBothBiases<T>(Params<T> p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.Linear(x, p["weight_ih"], HasBiases(p) ? p["bias_ih"] + p["bias_hh"] : null);

    /// <summary>
    /// x [rows, I] -> x·W_ihᵀ + b_ih + (b_hr, b_hz, 0) [rows, 3H]: b_hn stays in the step, where the reset gate scales it.
    /// </summary>
    private static Tensor<T> ProjectGru<T>(Params<T> p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!HasBiases(p)) return Tensor.Linear(x, p["weight_ih"]);
        var recurrentBias = p["bias_hh"];
        int hidden = recurrentBias.Shape[0] / 3;
        var folded = Tensor.Concat([Tensor.Narrow(recurrentBias, 0, 0, 2 * hidden), Tensor.Zeros<T>(hidden)], 0);
        return Tensor.Linear(x, p["weight_ih"], p["bias_ih"] + folded);
    }

    /// <summary>
    /// Whether the cell has its biases: both <c>bias_ih</c> and <c>bias_hh</c> (PyTorch's <c>bias=True</c>) or neither
    /// (<c>bias=False</c>). One without the other is an error, so that a present bias is never silently dropped.
    /// </summary>
    /// <exception cref="ArgumentException">Exactly one of the two biases is present; the message names the missing one.</exception>
    private static bool HasBiases<T>(Params<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool input = p.Contains("bias_ih"), recurrent = p.Contains("bias_hh");
        if (input != recurrent)
        {
            var (missing, present) = input ? ("bias_hh", "bias_ih") : ("bias_ih", "bias_hh");
            throw new ArgumentException($"Cells: parameter '{missing}' is missing while '{present}' {p[present].Shape} is present; "
                + $"a built-in cell takes both biases or neither (CellInitialization.WithBias(false)). Names: {string.Join(", ", p.Names)}.");
        }
        return input;
    }

    /// <summary>h [B, H] -> h·W_hhᵀ [B, G·H] (the bias is in the projection).</summary>
    private static Tensor<T> Recurrent<T>(Params<T> p, Tensor<T> h) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.MatMulTransposeB(h, p["weight_hh"]);
}
