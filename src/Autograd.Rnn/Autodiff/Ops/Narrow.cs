using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The elements at positions [start, start + length) along one axis. VJP: g zero-padded back to x's extent
/// along the axis (<see cref="PadOp"/>, Narrow's adjoint). JVP (linear): the same slice of the tangent.
/// Batching: the same slice along the example's axis as it sits in the batch; batch axis kept.
/// </summary>
internal static class NarrowOp
{
    /// <summary><paramref name="axis"/> must be normalized and the range checked (see <see cref="Tensor.Narrow{T}"/>).</summary>
    public static Tensor<T> Apply<T>(Tensor<T> x, int axis, int start, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = x.Shape.Span[axis];
        if (start == 0 && length == size) return x;
        return Trace.Unary("Narrow", x,
            v => Kernel(v, axis, start, length),
            v => Apply(v, axis, start, length),
            (x, _, g) => PadOp.Apply(g, axis, start, x.Shape.Span[axis] - start - length),
            (_, _, t) => Apply(t, axis, start, length),
            (x, batchAxis) => new(Apply(x, new Batched<T>(x, batchAxis).Shift(axis), start, length), batchAxis),
            new NarrowSlice(axis, start, length),
            // In a plan even a slice that is one run of x (which the kernel shares) is copied into the plan's buffer: a
            // replay then allocates nothing, where a view costs an object per replay (an LSTM's four gate slices at batch 1).
            // Only a planning level reads the form, so eager slices (every step of an unroll) do not allocate one.
            form: x.Live.Node is { Level.IsPlanning: true } ? new IntoBuffer<T>(axis, start, length) : null);
    }

    /// <summary>The plan form of a slice: the kernel's block copy, into the plan's buffer.</summary>
    private sealed class IntoBuffer<T>(int axis, int start, int length) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Invoke(NdArray<T>[] inputs, Span<T> destination)
        {
            var x = inputs[0];
            int inner = x.Shape.Product(axis + 1, x.Shape.Rank);
            CopyKernels.CopyBlocks(x.Span, x.Shape.Span[axis] * inner, start * inner, destination, length * inner, 0, length * inner,
                x.Shape.Product(0, axis));
        }
    }

    /// <summary>Throws naming <paramref name="operation"/> unless [start, start + length) lies within the axis.</summary>
    public static void CheckRange(Shape shape, int axis, int start, int length, string operation)
    {
        int size = shape.Span[axis];
        if (start < 0 || length < 0 || start > size - length)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"{operation}: start {start} and length {length} do not fit in axis {axis} of size {size} of shape {shape}.");
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, int axis, int start, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = x.Shape.WithDimension(axis, length);
        int inner = x.Shape.Product(axis + 1, x.Shape.Rank);
        int outer = x.Shape.Product(0, axis);
        // A slice that is one contiguous run of x (e.g. one time step of [time, batch, features]) shares x's buffer.
        if (outer == 1) return x.View(start * inner, shape);
        var result = NdArray<T>.Uninitialized(shape);
        CopyKernels.CopyBlocks(x.Span, x.Shape.Span[axis] * inner, start * inner, result.Unwritten, length * inner, 0, length * inner, outer);
        return result;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// The <paramref name="length"/> positions from <paramref name="start"/> along <paramref name="axis"/> (negative counts
    /// from the end): x [..., n, ...] -> [..., length, ...]. E.g. the last 3 time steps of x [batch, time, features]
    /// are <c>Narrow(x, 1, time - 3, 3)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or [start, start + length) is not within it.</exception>
    public static Tensor<T> Narrow<T>(Tensor<T> x, int axis, int start, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "Narrow");
        NarrowOp.CheckRange(x.Shape, a, start, length, "Narrow");
        return NarrowOp.Apply(x, a, start, length);
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>The <paramref name="length"/> positions from <paramref name="start"/> along <paramref name="axis"/>: [..., n, ...] -> [..., length, ...].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or the range is not within it.</exception>
    public Tensor<T> Narrow(int axis, int start, int length) => Tensor.Narrow(this, axis, start, length);
}
