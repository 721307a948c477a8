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
            (x, batchAxis) => new(Apply(x, new Batched<T>(x, batchAxis).Shift(axis), before, after), batchAxis),
            // In a plan (a sliced bias's gradient in a step's VJP, say) the padded value is written into the plan's buffer,
            // not a new array per replay. Only a planning level reads the form.
            form: x.Live.Node is { Level.IsPlanning: true } ? new IntoBuffer<T>(axis, before, after) : null);
    }

    /// <summary>The plan form: the kernel's zeros and block copy, into the plan's buffer.</summary>
    private sealed class IntoBuffer<T>(int axis, int before, int after) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => Into(inputs[0], axis, before, after, destination);
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, int axis, int before, int after) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = NdArray<T>.Uninitialized(x.Shape.WithDimension(axis, before + x.Shape.Span[axis] + after));
        Into(x, axis, before, after, result.Unwritten);
        return result;
    }

    private static void Into<T>(NdArray<T> x, int axis, int before, int after, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = x.Shape.Span[axis];
        int inner = x.Shape.Product(axis + 1, x.Shape.Rank);
        int outer = x.Shape.Product(0, axis);
        destination.Clear();
        CopyKernels.CopyBlocks(x.Span, size * inner, 0, destination, (before + size + after) * inner, before * inner, size * inner, outer);
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
