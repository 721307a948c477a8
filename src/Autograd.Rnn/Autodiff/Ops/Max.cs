using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The maximum along one axis, kept with size 1. VJP: g broadcast back to x's shape times a constant one-hot mask of
/// the first maximal element along the axis (ties go to the first, so the gradient is never split or doubled). JVP: the tangent of that same element
/// (the one-hot mask times t, summed along the axis).
/// Batching: the maximum along the example's axis as it sits in the batch (kept, size 1); batch axis kept.</summary>
internal static class MaxOp
{
    /// <param name="x">The input.</param>
    /// <param name="axis">A normalised axis in [0, rank).</param>
    public static Tensor<T> Apply<T>(Tensor<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape.Span[axis] == 0)
            throw new ArgumentException($"Max: axis {axis} of shape {x.Shape} is empty; the maximum of no elements is undefined.");
        return Trace.Unary("Max", x,
            v => Kernel(v, axis),
            v => Apply(v, axis),
            (x, y, g) => BroadcastToOp.Apply(g, x.Shape) * ConstantMasks.FirstMax(x, y, axis),
            (x, y, t) => SumToOp.Apply(t * ConstantMasks.FirstMax(x, y, axis), y.Shape),
            (x, batchAxis) => new(Apply(x, new Batched<T>(x, batchAxis).Shift(axis)), batchAxis));
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = x.Shape.WithDimension(axis, 1);
        var result = GC.AllocateUninitializedArray<T>(shape.Size);
        MaxKernels.MaxAlong(x.Span, x.Shape.Product(0, axis), x.Shape.Span[axis], x.Shape.Product(axis + 1, x.Shape.Rank), result);
        return new NdArray<T>(result, shape);
    }
}

public static partial class Tensor
{
    /// <summary>
    /// The largest element, as a rank-0 tensor. NaN if any element is NaN; +0 counts as larger than −0.
    /// The gradient goes to the first maximal element (in row-major order) only.
    /// </summary>
    /// <exception cref="ArgumentException">x has no elements.</exception>
    public static Tensor<T> Max<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Size == 0) throw new ArgumentException($"Max: shape {x.Shape} has no elements; the maximum of no elements is undefined.");
        var flat = ReshapeOp.Apply(x, new Shape(x.Size));
        return ReshapeOp.Apply(MaxOp.Apply(flat, 0), Shape.Scalar);
    }

    /// <summary>
    /// The maximum along <paramref name="axis"/> (negative counts from the end): [d0, …, dₐ, …] → [d0, …, 1, …] when
    /// <paramref name="keepDimension"/>, else the axis is removed. NaN wins; +0 counts as larger than −0.
    /// The gradient goes to the first maximal element along the axis only (ties go to the first).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public static Tensor<T> Max<T>(Tensor<T> x, int axis, bool keepDimension = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.NormalizeAxis(axis, "Max");
        var kept = MaxOp.Apply(x, a);
        return keepDimension ? kept : ReshapeOp.Apply(kept, x.Shape.Without(a));
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>The largest element, as a rank-0 tensor (see <see cref="Tensor.Max{T}(Tensor{T})"/>).</summary>
    /// <exception cref="ArgumentException">The tensor has no elements.</exception>
    public Tensor<T> Max() => Tensor.Max(this);

    /// <summary>The maximum along <paramref name="axis"/> (see <see cref="Tensor.Max{T}(Tensor{T}, int, bool)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public Tensor<T> Max(int axis, bool keepDimension = false) => Tensor.Max(this, axis, keepDimension);
}
