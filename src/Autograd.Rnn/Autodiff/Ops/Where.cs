using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// y = mask ≠ 0 ? a : b elementwise, with the mask, a and b broadcast together. The mask is read as a constant.
/// VJP: Where(mask, g, 0) for a and Where(mask, 0, g) for b, each summed back to its input's shape.
/// JVP: Where(mask, ṫa, 0) + Where(mask, 0, ṫb): the tangent of the input picked.
/// Batching: the three aligned for broadcasting with the batch axis first (a batched mask included).
/// </summary>
internal static class WhereOp
{
    public static Tensor<T> Apply<T>(Tensor<T> mask, Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var condition = mask.Constant;
        // A mask batched at a level inner to a's and b's (or theirs) is one Where per example: the three aligned, batch axis first.
        if (Batching.ForValues([condition, a, b], out var batched) is { } level && batched[0].IsBatched)
        {
            int rank = Math.Max(batched[0].ExampleRank, Math.Max(batched[1].ExampleRank, batched[2].ExampleRank));
            if (level.Id >= Math.Max(a.Live.Tag, b.Live.Tag))
                return Tensor<T>.Batch(Apply(Batching.Align(batched[0], rank), Batching.Align(batched[1], rank), Batching.Align(batched[2], rank)), 0, level, "Where");
        }
        var shape = ResultShape(condition.Shape, a.Shape, b.Shape);
        return Trace.Binary("Where", a, b,
            (x, y) => Kernel(condition.Value, x, y, shape),
            (x, y) => Apply(condition, x, y),
            (a, b, _, g, i) =>
            {
                var zero = Tensor.Scalar(T.Zero);
                return i == 0
                    ? SumToOp.Apply(Apply(condition, g, zero), a.Shape)
                    : SumToOp.Apply(Apply(condition, zero, g), b.Shape);
            },
            (_, _, _, t, i) => i == 0 ? Apply(condition, t, Tensor.Scalar(T.Zero)) : Apply(condition, Tensor.Scalar(T.Zero), t),
            (a, b) =>
            {
                // The mask is not batched at this level, but it may have more axes than a and b: align them to all three.
                int rank = Math.Max(condition.Rank, Math.Max(a.ExampleRank, b.ExampleRank));
                return new(Apply(condition, Batching.Align(a, rank), Batching.Align(b, rank)), 0);
            });
    }

    private static Shape ResultShape(Shape mask, Shape a, Shape b)
    {
        try
        {
            return Broadcasting.Result(Broadcasting.Result(mask, a, "Where"), b, "Where");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Where: mask {mask}, a {a} and b {b} cannot be broadcast to one shape.", e);
        }
    }

    private static NdArray<T> Kernel<T>(NdArray<T> mask, NdArray<T> a, NdArray<T> b, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = NdArray<T>.Uninitialized(shape);
        ActivationKernels.Select(
            Elementwise.BroadcastTo(mask, shape, "Where").Span,
            Elementwise.BroadcastTo(a, shape, "Where").Span,
            Elementwise.BroadcastTo(b, shape, "Where").Span,
            result.Unwritten);
        return result;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Picks elementwise from <paramref name="a"/> where <paramref name="mask"/> is non-zero and from <paramref name="b"/>
    /// where it is zero (±0; a NaN counts as non-zero). The three shapes broadcast together NumPy-style, and the result
    /// has the broadcast shape, e.g. mask [batch, time] with a [batch, time] and b [] gives [batch, time].
    /// The mask is read as a constant (typically 0/1 values): no gradient flows to it, even when it is traced.
    /// Unlike <c>mask·a + (1 − mask)·b</c>, an infinite or NaN element in the branch not taken does not leak into the
    /// result, and its cotangent is exactly 0 (an op further up that branch may still turn that 0 into NaN, as
    /// Log's g / x does at x = 0).
    /// </summary>
    /// <exception cref="ArgumentException">The mask's, a's and b's shapes do not broadcast together.</exception>
    public static Tensor<T> Where<T>(Tensor<T> mask, Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        WhereOp.Apply(mask, a, b);
}
