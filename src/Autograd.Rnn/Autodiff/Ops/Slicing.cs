using System.Numerics;

namespace Autograd.Rnn;

// Slice, Split and Chunk are compositions of Narrow: they need no gradient or JVP rule of their own.
public static partial class Tensor
{
    /// <summary>
    /// Positions [<paramref name="start"/>, <paramref name="end"/>) along <paramref name="axis"/>, Python-style: negative
    /// positions count from the end, out-of-range positions are clamped, and an empty range gives an empty axis;
    /// no <paramref name="end"/> means to the end. E.g. <c>Slice(x, 1, -3)</c> on x [batch, time, features] is the last 3 time steps.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Slice<T>(Tensor<T> x, int axis, int start, int? end = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "Slice");
        int size = x.Shape.Span[a];
        int from = Clamp(start, size);
        int to = end is int e ? Clamp(e, size) : size;
        return NarrowOp.Apply(x, a, from, Math.Max(to - from, 0));
    }

    /// <summary>
    /// Cuts x along <paramref name="axis"/> into consecutive pieces of the given <paramref name="sizes"/>, which must add
    /// up to the axis's length. E.g. gates [batch, 4·hidden] split along axis 1 by (h, h, h, h) -> four [batch, h] pieces.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, or the sizes do not add up to the axis's length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T>[] Split<T>(Tensor<T> x, int axis, params int[] sizes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(sizes);
        int a = x.Shape.NormalizeAxis(axis, "Split");
        long total = 0;
        foreach (int s in sizes)
        {
            if (s < 0) throw new ArgumentException($"Split: sizes [{string.Join(",", sizes)}] include a negative size.", nameof(sizes));
            total += s;
        }
        if (total != x.Shape.Span[a])
            throw new ArgumentException(
                $"Split: sizes [{string.Join(",", sizes)}] add up to {total}, but axis {a} of shape {x.Shape} has {x.Shape.Span[a]}.", nameof(sizes));
        var pieces = new Tensor<T>[sizes.Length];
        int offset = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            pieces[i] = NarrowOp.Apply(x, a, offset, sizes[i]);
            offset += sizes[i];
        }
        return pieces;
    }

    /// <summary>
    /// Cuts x along <paramref name="axis"/> into pieces of ⌈n / <paramref name="chunks"/>⌉ positions, the last one shorter
    /// when n does not divide evenly (PyTorch's <c>chunk</c>: like it, this can give fewer than <paramref name="chunks"/>
    /// pieces, e.g. 5 positions in 4 chunks gives sizes 2, 2, 1). An empty axis gives one empty piece.
    /// E.g. gates [batch, 4·hidden] in 4 chunks along axis 1 -> four [batch, hidden] pieces.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunks"/> is not positive, or the axis is out of range.</exception>
    public static Tensor<T>[] Chunk<T>(Tensor<T> x, int chunks, int axis = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), $"Chunk: {chunks} chunks requested for shape {x.Shape}; it must be positive.");
        int a = x.Shape.NormalizeAxis(axis, "Chunk");
        int size = x.Shape.Span[a];
        if (size == 0) return [x];
        int chunk = (size + chunks - 1) / chunks;
        var pieces = new Tensor<T>[(size + chunk - 1) / chunk];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = NarrowOp.Apply(x, a, i * chunk, Math.Min(chunk, size - i * chunk));
        return pieces;
    }

    private static int Clamp(int position, int size) =>
        position < 0 ? Math.Max(position + size, 0) : Math.Min(position, size);
}

public sealed partial class Tensor<T>
{
    /// <summary>Positions [start, end) along <paramref name="axis"/>, Python-style (see <see cref="Tensor.Slice{T}"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public Tensor<T> Slice(int axis, int start, int? end = null) => Tensor.Slice(this, axis, start, end);

    /// <summary>Consecutive pieces of the given sizes along <paramref name="axis"/> (see <see cref="Tensor.Split{T}"/>).</summary>
    /// <exception cref="ArgumentException">The sizes do not add up to the axis's length.</exception>
    public Tensor<T>[] Split(int axis, params int[] sizes) => Tensor.Split(this, axis, sizes);

    /// <summary>Pieces of ⌈n / chunks⌉ positions along <paramref name="axis"/> (see <see cref="Tensor.Chunk{T}"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunks"/> is not positive, or the axis is out of range.</exception>
    public Tensor<T>[] Chunk(int chunks, int axis = 0) => Tensor.Chunk(this, chunks, axis);
}
