using System.Numerics;

namespace Autograd.Rnn.Testing.Tests;

/// <summary>
/// Cells for the kit's own tests: a correct minimal gated unit (Zhou et al. 2016), and wrong variants of it, each with the
/// kind of mistake one of the checks exists to catch.
/// </summary>
internal static class TestCells
{
    /// <summary>f = σ(W_f·x + U_f·h + b_f); h̃ = tanh(W_h·x + U_h·(f ⊙ h) + b_h); h' = h + f ⊙ (h̃ − h).</summary>
    public static Cell<T> Mgu<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("MGU", (p, h, x) => h + Gate(p, h, x) * (Candidate(p, h, x, Gate(p, h, x)) - h), Initialize<T>);

    /// <summary>
    /// (a) Gradient: the gate is "treated as a constant" in the update, StopGradient(f) — the values are right, the
    /// gradient through the gate's weights is lost.
    /// </summary>
    public static Cell<T> MguWithStopGradient<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("MGU with StopGradient on the gate", (p, h, x) =>
        {
            var f = Gate(p, h, x);
            return h + Tensor.StopGradient(f) * (Candidate(p, h, x, f) - h);
        }, Initialize<T>);

    /// <summary>
    /// (b) Padding: the candidate's preactivation is centred over the batch (a batch-norm-like step), so every row reads
    /// every other row — padded rows included, and a sequence's result depends on what it is batched with.
    /// </summary>
    public static Cell<T> MguCentredOverBatch<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("MGU centred over the batch", (p, h, x) =>
        {
            var f = Gate(p, h, x);
            var a = Tensor.MatMulTransposeB(x, p["w_h"]) + Tensor.MatMulTransposeB(f * h, p["u_h"]) + p["b_h"];
            var candidate = Tensor.Tanh(a - Tensor.Mean(a, 0, keepDimension: true));
            return h + f * (candidate - h);
        }, Initialize<T>);

    /// <summary>
    /// (c) Single precision: the candidate's preactivation is shifted by a large constant and back, (a + 4096) − 4096. In
    /// double that costs about 1e-12; in float32 the spacing of numbers near 4096 is 4.9e-4, so a loses three digits.
    /// </summary>
    public static Cell<T> MguWithLargeOffset<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("MGU with a large offset", (p, h, x) =>
        {
            var f = Gate(p, h, x);
            var offset = T.CreateChecked(4096);
            var a = Tensor.MatMulTransposeB(x, p["w_h"]) + Tensor.MatMulTransposeB(f * h, p["u_h"]) + p["b_h"];
            return h + f * (Tensor.Tanh(a + offset - offset) - h);
        }, Initialize<T>);

    /// <summary>
    /// (c') Single precision: a float32 constant in a cell run in double — the float32 round-to-integer trick
    /// (v + 1.5·2²³) − 1.5·2²³ quantises the state to a 1/256 grid in float32 and does nothing in double.
    /// </summary>
    public static Cell<T> MguWithSingleRoundingConstant<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("MGU quantised with a float32 constant", (p, h, x) =>
        {
            var f = Gate(p, h, x);
            var next = h + f * (Candidate(p, h, x, f) - h);
            var magic = T.CreateChecked(12582912f); // 1.5·2²³: adding it rounds a float32 to an integer
            var grid = T.CreateChecked(256);
            // Straight-through: the value is rounded, the gradient is the identity's.
            return next + Tensor.StopGradient((next * grid + magic - magic) / grid - next);
        }, Initialize<T>);

    private static Tensor<T> Gate<T>(Params<T> p, Tensor<T> h, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.Sigmoid(Tensor.MatMulTransposeB(x, p["w_f"]) + Tensor.MatMulTransposeB(h, p["u_f"]) + p["b_f"]);

    private static Tensor<T> Candidate<T>(Params<T> p, Tensor<T> h, Tensor<T> x, Tensor<T> f) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.Tanh(Tensor.MatMulTransposeB(x, p["w_h"]) + Tensor.MatMulTransposeB(f * h, p["u_h"]) + p["b_h"]);

    private static Params<T> Initialize<T>(int inputSize, int hiddenSize, ulong seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        Params<T>.Empty
            .Add("w_f", Init.PyTorchDefault<T>([hiddenSize, inputSize], hiddenSize, seed))
            .Add("u_f", Init.PyTorchDefault<T>([hiddenSize, hiddenSize], hiddenSize, seed + 1))
            .Add("b_f", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 2))
            .Add("w_h", Init.PyTorchDefault<T>([hiddenSize, inputSize], hiddenSize, seed + 3))
            .Add("u_h", Init.PyTorchDefault<T>([hiddenSize, hiddenSize], hiddenSize, seed + 4))
            .Add("b_h", Init.PyTorchDefault<T>([hiddenSize], hiddenSize, seed + 5));
}
