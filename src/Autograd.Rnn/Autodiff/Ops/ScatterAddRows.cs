using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// Adds rows into a zero table by index: values [S..., ...] and indices of shape S -> [V, ...], repeated indices
/// accumulating. The adjoint of <see cref="GatherRowsOp"/>, so its VJP is the gather of g's rows.
/// JVP (linear): the tangent's rows scatter-added the same way.
/// Batching: the batch axis moved just behind the index axes, so each scattered row carries every example's row: [rows, B, …].</summary>
internal static class ScatterAddRowsOp
{
    /// <summary>
    /// <paramref name="indices"/> must be checked against <paramref name="rows"/> and never written afterwards;
    /// <paramref name="values"/>' shape must start with <paramref name="indexShape"/>.
    /// </summary>
    public static Tensor<T> Apply<T>(Tensor<T> values, int[] indices, Shape indexShape, int rows) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("ScatterAddRows", values,
            v => Kernel(v, indices, indexShape, rows),
            v => Apply(v, indices, indexShape, rows),
            (_, _, g) => GatherRowsOp.Apply(g, indices, indexShape),
            (_, _, t) => Apply(t, indices, indexShape, rows),
            (values, axis) => new(Apply(Batching.Move(values, axis, indexShape.Rank), indices, indexShape, rows), 1));

    private static NdArray<T> Kernel<T>(NdArray<T> values, int[] indices, Shape indexShape, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = GatherRowsOp.Join(new Shape(rows), values.Shape, indexShape.Rank);
        int rowLength = shape.Product(1, shape.Rank);
        var result = NdArray<T>.Uninitialized(shape);
        Span<T> destination = result.Unwritten;
        destination.Clear();
        GatherKernels.ScatterAddRows(values.Span, rowLength, indices, destination);
        return result;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// A table of <paramref name="rows"/> rows, zero except that row k of <paramref name="values"/> is added into row
    /// indices[k]: values [n, D] and n indices -> [rows, D]; repeated indices accumulate. The adjoint of
    /// <see cref="GatherRows{T}(Tensor{T}, int[])"/> (an embedding table's gradient).
    /// </summary>
    /// <exception cref="ArgumentException">values is a scalar or has a first dimension other than the number of indices.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative, or an index is outside [0, rows).</exception>
    public static Tensor<T> ScatterAddRows<T>(Tensor<T> values, int[] indices, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(indices);
        return ScatterAddRows(values, indices, [indices.Length], rows);
    }

    /// <summary>
    /// Like <see cref="ScatterAddRows{T}(Tensor{T}, int[], int)"/> with indices of shape <paramref name="indexShape"/>:
    /// values [batch, time, D] and indices [batch, time] -> [rows, D].
    /// </summary>
    /// <exception cref="ArgumentException">values' shape does not start with the index shape, or the index shape does not hold the indices.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative, or an index is outside [0, rows).</exception>
    public static Tensor<T> ScatterAddRows<T>(Tensor<T> values, int[] indices, int[] indexShape, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"ScatterAddRows: {rows} rows requested; it must not be negative.");
        var checkedIndices = GatherRowsOp.CheckIndices(indices, rows, "ScatterAddRows");
        var shape = GatherRowsOp.IndexShape(checkedIndices, indexShape, "ScatterAddRows");
        bool fits = values.Rank >= shape.Rank;
        for (int a = 0; fits && a < shape.Rank; a++) fits = values.Shape.Span[a] == shape.Span[a];
        if (!fits)
            throw new ArgumentException($"ScatterAddRows: values {values.Shape} do not start with the index shape {shape}.", nameof(values));
        return ScatterAddRowsOp.Apply(values, checkedIndices, shape, rows);
    }
}
