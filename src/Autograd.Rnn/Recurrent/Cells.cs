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
/// of all time steps at once (x·W_ihᵀ + b_ih); the step itself only does the recurrent product and the gate math.
/// </summary>
public static class Cells
{
    /// <summary>Elman's RNN: h' = act(W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    public static Cell<T> Rnn<T>(Nonlinearity nonlinearity = Nonlinearity.Tanh, CellInitialization? initialization = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var init = initialization ?? CellInitialization.Default;
        return new Cell<T>(nonlinearity == Nonlinearity.Tanh ? "RNN_TANH" : "RNN_RELU",
            (p, state, projected) =>
            {
                var preactivation = projected + Recurrent(p, state.Hidden);
                return RecurrentState<T>.Of(nonlinearity == Nonlinearity.Tanh ? Tensor.Tanh(preactivation) : Tensor.Relu(preactivation));
            },
            (inputSize, hiddenSize, seed) => init.Create<T>(1, inputSize, hiddenSize, seed),
            stateParts: 1,
            inputProjection: Project);
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
            stateParts: 2,
            inputProjection: Project);
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
            stateParts: 1,
            inputProjection: Project);
    }

    private static RecurrentState<T> GruStep<T>(Params<T> p, RecurrentState<T> state, Tensor<T> projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = state.Hidden;
        var x = Tensor.Chunk(projected, 3, axis: 1);
        var r_z_n = Tensor.Chunk(Recurrent(p, h), 3, axis: 1);
        var r = Tensor.Sigmoid(x[0] + r_z_n[0]);
        var z = Tensor.Sigmoid(x[1] + r_z_n[1]);
        var n = Tensor.Tanh(x[2] + r * r_z_n[2]);
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
        var candidate = Tensor.MatMulTransposeB(Tensor.Sigmoid(x[0] + Tensor.Narrow(gatesRz, 1, 0, hidden) + Bias(p, 0, hidden)) * h,
            Tensor.Narrow(weight, 0, 2 * hidden, hidden));
        var z = Tensor.Sigmoid(x[1] + Tensor.Narrow(gatesRz, 1, hidden, hidden) + Bias(p, hidden, hidden));
        var n = Tensor.Tanh(x[2] + candidate + Bias(p, 2 * hidden, hidden));
        return RecurrentState<T>.Of(n + z * (h - n));
    }

    // The slice [start, start + length) of bias_hh, or 0 for a cell without biases.
    private static Tensor<T> Bias<T>(Params<T> p, int start, int length) where T : unmanaged, IFloatingPointIeee754<T> =>
        p.Contains("bias_hh") ? Tensor.Narrow(p["bias_hh"], 0, start, length) : Tensor.Scalar(T.Zero);

    /// <summary>x [rows, I] -> x·W_ihᵀ + b_ih [rows, G·H].</summary>
    private static Tensor<T> Project<T>(Params<T> p, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var projected = Tensor.MatMulTransposeB(x, p["weight_ih"]);
        return p.Contains("bias_ih") ? projected + p["bias_ih"] : projected;
    }

    /// <summary>h [B, H] -> h·W_hhᵀ + b_hh [B, G·H].</summary>
    private static Tensor<T> Recurrent<T>(Params<T> p, Tensor<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var product = Tensor.MatMulTransposeB(h, p["weight_hh"]);
        return p.Contains("bias_hh") ? product + p["bias_hh"] : product;
    }
}
