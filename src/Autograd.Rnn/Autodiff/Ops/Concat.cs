using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// Joins tensors end to end along one axis; they agree on every other dimension. VJP of input i: the narrow of g
/// at that input's offset and extent along the axis. JVP (linear): the inputs' tangents joined the same way, zeros for
/// inputs that do not move. Batching: every input as [B, example…] (unbatched ones broadcast), joined along axis + 1.
/// </summary>
internal static class ConcatOp
{
    /// <summary><paramref name="axis"/> must be normalized and the shapes checked (see <see cref="Tensor.Concat{T}"/>).</summary>
    public static Tensor<T> Apply<T>(Tensor<T>[] inputs, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputs.Length == 1) return inputs[0];
        var offsets = new int[inputs.Length];
        for (int i = 1; i < inputs.Length; i++) offsets[i] = offsets[i - 1] + inputs[i - 1].Shape.Span[axis];
        return Trace.Nary("Concat", inputs,
            values => Kernel(values, axis),
            primals => Apply(primals, axis),
            (primals, _, g, i) => NarrowOp.Apply(g, axis, offsets[i], primals[i].Shape.Span[axis]),
            (primals, _, tangents) => Apply(Moving(primals, tangents), axis),
            batched => new(Apply(Array.ConvertAll(batched, input => Batching.Expand(input, Batching.Size<T>(batched))), axis + 1), 0),
            new IntoBuffer<T>(axis));
    }

    // Every input's tangent, zeros for the inputs that do not move at the forward level.
    private static Tensor<T>[] Moving<T>(Tensor<T>[] primals, Tensor<T>?[] tangents) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var all = new Tensor<T>[primals.Length];
        for (int i = 0; i < all.Length; i++) all[i] = tangents[i] ?? Tensor.ZerosLike(primals[i]);
        return all;
    }

    /// <summary>The plan form: the same block copies, into the plan's buffer.</summary>
    private sealed class IntoBuffer<T>(int axis) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => Join(inputs, axis, destination);
    }

    /// <summary>Throws naming <paramref name="operation"/> unless the shapes agree outside <paramref name="axis"/>.</summary>
    public static void CheckShapes<T>(Tensor<T>[] inputs, int axis, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = inputs[0].Shape;
        long total = 0;
        foreach (var input in inputs)
        {
            var shape = input.Shape;
            bool same = shape.Rank == first.Rank;
            for (int a = 0; same && a < shape.Rank; a++) same = a == axis || shape.Span[a] == first.Span[a];
            if (!same) throw new ArgumentException($"{operation}: {first} and {shape} differ outside axis {axis}.");
            total += shape.Span[axis];
        }
        if (total > int.MaxValue) throw new ArgumentException($"{operation}: the result along axis {axis} would be longer than {int.MaxValue}.");
    }

    private static NdArray<T> Kernel<T>(NdArray<T>[] values, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = values[0].Shape;
        int total = 0;
        foreach (var v in values) total += v.Shape.Span[axis];
        var shape = first.WithDimension(axis, total);
        var result = NdArray<T>.Uninitialized(shape);
        Join(values, axis, result.Unwritten);
        return result;
    }

    private static void Join<T>(NdArray<T>[] values, int axis, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = values[0].Shape;
        int total = 0;
        foreach (var v in values) total += v.Shape.Span[axis];
        int inner = first.Product(axis + 1, first.Rank);
        int outer = first.Product(0, axis);
        int offset = 0;
        foreach (var v in values)
        {
            int run = v.Shape.Span[axis] * inner;
            CopyKernels.CopyBlocks(v.Span, run, 0, destination, total * inner, offset, run, outer);
            offset += run;
        }
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Joins tensors along an existing <paramref name="axis"/> (negative counts from the end); they must agree on every
    /// other dimension. E.g. [batch, 3] and [batch, 5] along axis 1 -> [batch, 8]. One tensor is returned as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, a tensor is a scalar, or the shapes differ outside the axis.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Concat<T>(Tensor<T>[] tensors, int axis = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("Concat: no tensors to join.", nameof(tensors));
        var inputs = (Tensor<T>[])tensors.Clone();
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(tensors), $"Concat: tensor {i} is null.");
        if (inputs[0].Rank == 0) throw new ArgumentException("Concat: scalars have no axis to join along; use Stack.", nameof(tensors));
        int a = inputs[0].Shape.NormalizeAxis(axis, "Concat");
        ConcatOp.CheckShapes(inputs, a, "Concat");
        return ConcatOp.Apply(inputs, a);
    }
}
