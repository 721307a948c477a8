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

    /// <summary>
    /// The masks of rows <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/>−1 only (views), for a
    /// group of rows that runs as an unroll of its own (<see cref="BatchSplit"/>).
    /// </summary>
    public UnrollMasks<T> Rows(int first, int count) =>
        new(Array.ConvertAll(masks, mask => mask is null ? null : new Tensor<T>(mask.Value.View(first, new Shape(count, 1)))));

    /// <summary>
    /// Where step t is padding, overwrites each next state part <paramref name="next"/>[p] (the unroll's own slab, not yet
    /// handed out) with Where(mask_t, next, before).
    /// </summary>
    public void KeepPadded(int t, ReadOnlySpan<NdArray<T>> next, ReadOnlySpan<NdArray<T>> before)
    {
        if (masks[t] is not { } mask) return;
        for (int p = 0; p < before.Length; p++)
            Tensor.Where(mask, new Tensor<T>(next[p]), new Tensor<T>(before[p])).Value.Span.CopyTo(next[p].Unwritten);
    }

    /// <summary>The part of the next state's cotangent <paramref name="g"/> that reaches step t's VJP.</summary>
    public NdArray<T> IntoStep(int t, NdArray<T> g) => masks[t] is { } mask ? Tensor.Where(mask, new Tensor<T>(g), Zero).Value : g;

    /// <summary>
    /// The cotangents of the states before step t: what the step's VJP wrote into <paramref name="throughStep"/> (the
    /// sweep's own buffers, overwritten here) plus, where step t is padding, the next state's cotangent
    /// <paramref name="g"/> itself (the state was passed on unchanged there).
    /// </summary>
    public void PastStep(int t, ReadOnlySpan<NdArray<T>> g, ReadOnlySpan<NdArray<T>> throughStep)
    {
        if (masks[t] is not { } mask) return;
        for (int p = 0; p < g.Length; p++)
            (new Tensor<T>(throughStep[p]) + Tensor.Where(mask, Zero, new Tensor<T>(g[p]))).Value.Span.CopyTo(throughStep[p].Unwritten);
    }
}
