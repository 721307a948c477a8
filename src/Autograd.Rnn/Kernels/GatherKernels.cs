using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>Row lookups by index (embeddings) and their adjoint, row scatter-add. Indices are checked by the caller.</summary>
internal static class GatherKernels
{
    /// <summary>destination row n = table row <paramref name="indices"/>[n]; rows are <paramref name="rowLength"/> long.</summary>
    public static void GatherRows<T>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<int> indices, Span<T> destination)
    {
        if (rowLength == 0) return;
        for (int n = 0; n < indices.Length; n++)
            table.Slice(indices[n] * rowLength, rowLength).CopyTo(destination.Slice(n * rowLength, rowLength));
    }

    /// <summary>
    /// Adds row n of <paramref name="rows"/> into row <paramref name="indices"/>[n] of <paramref name="destination"/>
    /// (which the caller zeroes); repeated indices accumulate.
    /// </summary>
    public static void ScatterAddRows<T>(ReadOnlySpan<T> rows, int rowLength, ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rowLength == 0) return;
        for (int n = 0; n < indices.Length; n++)
        {
            var target = destination.Slice(indices[n] * rowLength, rowLength);
            TensorPrimitives.Add(target, rows.Slice(n * rowLength, rowLength), target);
        }
    }
}
