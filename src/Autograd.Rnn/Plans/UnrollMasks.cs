using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The masks of a variable-length unroll, applied by the planned unroll between replays of the step's plans with the
/// ops the eager loop uses (<see cref="Tensor.Where{T}"/> on constants), so values keep the eager bits. At a step t with
/// padding, the state passed on is Where(mask_t, next, before) per part; backward, the cotangent g of that state splits
/// into Where(mask_t, g, 0), which enters the step's VJP, and Where(mask_t, 0, g), which goes straight to the state before
/// (Where's own VJP). Steps where every sequence is still running have no mask and cost nothing.
/// </summary>
/// <param name="masks">Per time index: [batch, 1], 1 where the step is inside the sequence and 0 where it is padding;
/// null where every sequence is inside.</param>
internal sealed class UnrollMasks<T>(Tensor<T>?[] masks) where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Tensor<T> Zero = Tensor.Scalar(T.Zero);

    /// <summary>Replaces each next state part <paramref name="next"/>[p] by the previous one where step t is padding.</summary>
    public void KeepPadded(int t, Tensor<T>[] next, ReadOnlySpan<Tensor<T>> before)
    {
        if (masks[t] is not { } mask) return;
        for (int p = 0; p < before.Length; p++) next[p] = Tensor.Where(mask, next[p], before[p]);
    }

    /// <summary>The part of the next state's cotangent <paramref name="g"/> that reaches step t's VJP.</summary>
    public Tensor<T> IntoStep(int t, Tensor<T> g) => masks[t] is { } mask ? Tensor.Where(mask, g, Zero) : g;

    /// <summary>
    /// The cotangent of the state before step t: what the step's VJP gave (<paramref name="throughStep"/>) plus, where
    /// step t is padding, the next state's cotangent <paramref name="g"/> itself (the state was passed on unchanged there).
    /// </summary>
    public Tensor<T> PastStep(int t, Tensor<T> g, Tensor<T> throughStep) =>
        masks[t] is { } mask ? throughStep + Tensor.Where(mask, Zero, g) : throughStep;
}
