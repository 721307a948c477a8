using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// Looks up rows of a table by index (an embedding lookup): table [V, ...] and indices of shape S -> [S..., ...].
/// VJP: g's rows scatter-added into a zero table (<see cref="ScatterAddRowsOp"/>, its adjoint), so repeated indices accumulate.
/// JVP (linear): the same rows of the table's tangent.
/// Batching: the batch axis moved just behind the rows, so each gathered row carries every example's row: [indexShape…, B, …].</summary>
internal static class GatherRowsOp
{
    /// <summary>
    /// <paramref name="indices"/> must be checked (see <see cref="CheckIndices"/>), never written afterwards, and have
    /// <paramref name="indexShape"/>'s size.
    /// </summary>
    public static Tensor<T> Apply<T>(Tensor<T> table, int[] indices, Shape indexShape) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("GatherRows", table,
            v => Kernel(v, indices, indexShape),
            v => Apply(v, indices, indexShape),
            (table, _, g) => ScatterAddRowsOp.Apply(g, indices, indexShape, table.Shape.Span[0]),
            (_, _, t) => Apply(t, indices, indexShape),
            (table, axis) => new(Apply(Batching.Move(table, axis, 1), indices, indexShape), indexShape.Rank));

    /// <summary>A private copy of <paramref name="indices"/>, each checked to lie in [0, rows).</summary>
    public static int[] CheckIndices(int[] indices, int rows, string operation)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var copy = (int[])indices.Clone();
        for (int n = 0; n < copy.Length; n++)
            if ((uint)copy[n] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"{operation}: index {copy[n]} at position {n} is out of range for a table of {rows} rows (V = {rows}).");
        return copy;
    }

    /// <summary>The index shape, checked against the number of indices.</summary>
    public static Shape IndexShape(int[] indices, int[] indexShape, string operation)
    {
        ArgumentNullException.ThrowIfNull(indexShape);
        var shape = new Shape(indexShape);
        if (shape.Size != indices.Length)
            throw new ArgumentException($"{operation}: index shape {shape} holds {shape.Size} indices, but {indices.Length} were given.", nameof(indexShape));
        return shape;
    }

    /// <summary><paramref name="leading"/> followed by the dimensions of <paramref name="shape"/> after its first <paramref name="skip"/>.</summary>
    public static Shape Join(Shape leading, Shape shape, int skip)
    {
        var d = new int[leading.Rank + shape.Rank - skip];
        leading.Span.CopyTo(d);
        shape.Span[skip..].CopyTo(d.AsSpan(leading.Rank));
        return Shape.Owning(d);
    }

    private static NdArray<T> Kernel<T>(NdArray<T> table, int[] indices, Shape indexShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Join(indexShape, table.Shape, 1);
        int rowLength = table.Shape.Product(1, table.Shape.Rank);
        var result = GC.AllocateUninitializedArray<T>(shape.Size);
        GatherKernels.GatherRows(table.Span, rowLength, indices, result);
        return new NdArray<T>(result, shape);
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Rows of <paramref name="table"/> by index (an embedding lookup): table [V, D] and n indices -> [n, D], row k being
    /// table row indices[k]. Any table of rank ≥ 1 works: [V, ...] -> [n, ...]. Gradients of repeated indices add up.
    /// </summary>
    /// <exception cref="ArgumentException">The table is a scalar.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, V).</exception>
    public static Tensor<T> GatherRows<T>(Tensor<T> table, int[] indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(indices);
        return GatherRows(table, indices, [indices.Length]);
    }

    /// <summary>
    /// Rows of <paramref name="table"/> by a tensor of indices given as row-major <paramref name="indices"/> of shape
    /// <paramref name="indexShape"/>: table [V, D] with indices [batch, time] -> [batch, time, D].
    /// </summary>
    /// <exception cref="ArgumentException">The table is a scalar, or the index shape does not hold the number of indices given.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, V).</exception>
    public static Tensor<T> GatherRows<T>(Tensor<T> table, int[] indices, int[] indexShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rank == 0) throw new ArgumentException("GatherRows: the table is a scalar; it must have a first axis of rows, e.g. [V, D].", nameof(table));
        var checkedIndices = GatherRowsOp.CheckIndices(indices, table.Shape.Span[0], "GatherRows");
        return GatherRowsOp.Apply(table, checkedIndices, GatherRowsOp.IndexShape(checkedIndices, indexShape, "GatherRows"));
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Rows of this table [V, D] by index: n indices -> [n, D] (see <see cref="Tensor.GatherRows{T}(Tensor{T}, int[])"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, V).</exception>
    public Tensor<T> GatherRows(int[] indices) => Tensor.GatherRows(this, indices);

    /// <summary>Rows of this table [V, D] by indices of shape <paramref name="indexShape"/>: [batch, time] -> [batch, time, D].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, V).</exception>
    public Tensor<T> GatherRows(int[] indices, int[] indexShape) => Tensor.GatherRows(this, indices, indexShape);
}
