using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// Zero padding along one axis: <c>before</c> zeros, x, then <c>after</c> zeros. It is the adjoint of
/// <see cref="NarrowOp"/>, so its VJP is the narrow that takes x's positions back out of g. JVP (linear): the tangent padded the same way.
/// Batching: the same padding along the example's axis as it sits in the batch; batch axis kept.</summary>
internal static class PadOp
{
    /// <summary><paramref name="axis"/> must be normalized and the widths non-negative.</summary>
    public static Tensor<T> Apply<T>(Tensor<T> x, int axis, int before, int after) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (before == 0 && after == 0) return x;
        return Trace.Unary("Pad", x,
            v => Kernel(v, axis, before, after),
            v => Apply(v, axis, before, after),
            (x, _, g) => NarrowOp.Apply(g, axis, before, x.Shape.Span[axis]),
            (_, _, t) => Apply(t, axis, before, after),
            (x, batchAxis) => new(Apply(x, new Batched<T>(x, batchAxis).Shift(axis), before, after), batchAxis));
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, int axis, int before, int after) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = x.Shape.Span[axis];
        var shape = x.Shape.WithDimension(axis, before + size + after);
        int inner = x.Shape.Product(axis + 1, x.Shape.Rank);
        int outer = x.Shape.Product(0, axis);
        var result = NdArray<T>.Uninitialized(shape);
        Span<T> destination = result.Unwritten;
        destination.Clear();
        CopyKernels.CopyBlocks(x.Span, size * inner, 0, destination, shape.Span[axis] * inner, before * inner, size * inner, outer);
        return result;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Pads with zeros along <paramref name="axis"/> (negative counts from the end): <paramref name="before"/> zeros,
    /// then x, then <paramref name="after"/> zeros; x [..., n, ...] -> [..., before + n + after, ...].
    /// The adjoint of <see cref="Narrow{T}"/>: e.g. right-padding sequences x [batch, time, features] to a longer time axis.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or a width is negative.</exception>
    public static Tensor<T> Pad<T>(Tensor<T> x, int axis, int before, int after) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "Pad");
        if (before < 0 || after < 0)
            throw new ArgumentOutOfRangeException(nameof(before), $"Pad: widths {before} and {after} for axis {a} of shape {x.Shape} must not be negative.");
        if ((long)before + x.Shape.Span[a] + after > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(after), $"Pad: widths {before} and {after} make axis {a} of shape {x.Shape} too long.");
        return PadOp.Apply(x, a, before, after);
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Pads with zeros along <paramref name="axis"/>: [..., n, ...] -> [..., before + n + after, ...].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or a width is negative.</exception>
    public Tensor<T> Pad(int axis, int before, int after) => Tensor.Pad(this, axis, before, after);
}
