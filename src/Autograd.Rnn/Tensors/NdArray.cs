using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The plain immutable n-d value below the graph: a row-major, contiguous run of a buffer plus its <see cref="Shape"/>.
/// Buffers are never written after construction, so values may share one: a reshape shares all of it, and a slice
/// that is contiguous in its parent (a run of leading-axis positions, such as one time step of a sequence) is a view
/// of the parent's buffer instead of a copy.
/// </summary>
internal sealed class NdArray<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] data;
    private readonly int offset;

    /// <summary>Takes ownership of <paramref name="data"/>: the caller must not write to it afterwards.</summary>
    internal NdArray(T[] data, Shape shape)
    {
        if (data.Length != shape.Size)
            throw new ArgumentException($"Tensor: {data.Length} values do not fill shape {shape} ({shape.Size} elements).", nameof(data));
        this.data = data;
        Shape = shape;
    }

    private NdArray(T[] data, int offset, Shape shape)
    {
        this.data = data;
        this.offset = offset;
        Shape = shape;
    }

    public Shape Shape { get; }

    public int Size => Shape.Size;

    public ReadOnlySpan<T> Span => new(data, offset, Shape.Size);

    public T[] ToArray() => Span.ToArray();

    /// <summary>Whether <paramref name="next"/> starts in this value's buffer right where this value ends.</summary>
    internal bool Precedes(NdArray<T> next) => ReferenceEquals(data, next.data) && next.offset == offset + Size;

    /// <summary>The elements from this value's start to <paramref name="last"/>'s end, for values laid back to back (<see cref="Precedes"/>).</summary>
    internal ReadOnlySpan<T> SpanThrough(NdArray<T> last) => new(data, offset, last.offset + last.Size - offset);

    /// <summary>Whether <paramref name="other"/> is the same run of the same buffer, with the same shape: the same value.</summary>
    internal bool SameRun(NdArray<T> other) => ReferenceEquals(data, other.data) && offset == other.offset && Shape == other.Shape;

    /// <summary>Whether this value is a run of one of <paramref name="buffers"/> (scratch buffers are recognised this way before they go back).</summary>
    internal bool SharesBufferWithAny(IReadOnlySet<Array> buffers) => buffers.Contains(data);

    /// <summary>
    /// The elements as a writable run of the buffer, only for a plan writing a value that has not been handed to anyone
    /// yet (a slab a planned unroll allocated, filled step by step before the unroll's result exists); every other
    /// reader must treat the value as immutable.
    /// </summary>
    internal ArraySegment<T> Unwritten => new(data, offset, Shape.Size);

    /// <summary>
    /// A value of <paramref name="shape"/> for a kernel to write its result into (through <see cref="Unwritten"/>) before
    /// anyone reads it: from the thread's <see cref="ValueArena"/> when one is lent, else a new array.
    /// </summary>
    internal static NdArray<T> Uninitialized(Shape shape) =>
        ValueArena.Current?.Take<T>(shape.Size) is { } lent
            ? OverStart(lent, shape)
            : new NdArray<T>(GC.AllocateUninitializedArray<T>(shape.Size), shape);

    /// <summary>A value of <paramref name="shape"/> over the start of <paramref name="data"/> (a pooled array may be longer).</summary>
    internal static NdArray<T> OverStart(T[] data, Shape shape) => new(data, 0, shape);

    /// <summary>The <paramref name="shape"/>.Size elements from flat position <paramref name="start"/>, sharing this buffer.</summary>
    public NdArray<T> View(int start, Shape shape)
    {
        if (start < 0 || start > Size - shape.Size)
            throw new ArgumentOutOfRangeException(nameof(start), $"Tensor view: {shape.Size} elements from {start} exceed the {Size} of shape {Shape}.");
        return new NdArray<T>(data, offset + start, shape);
    }

    public static NdArray<T> Full(Shape shape, T value)
    {
        var d = GC.AllocateUninitializedArray<T>(shape.Size);
        d.AsSpan().Fill(value);
        return new NdArray<T>(d, shape);
    }

    public static NdArray<T> Zeros(Shape shape) => new(new T[shape.Size], shape);

    public static NdArray<T> Scalar(T value) => new([value], Shape.Scalar);

    public NdArray<T> Reshape(Shape shape) => new(data, offset, shape);

    public T this[ReadOnlySpan<int> index] => data[offset + FlatIndex(index)];

    /// <summary>The flat index of the first NaN or infinity, or −1 when every element is finite.</summary>
    public int FirstNonFinite()
    {
        // One vectorised sum answers "all finite?" in the common case; only a non-finite sum (a NaN or an infinity,
        // or finite values overflowing) needs the element scan.
        var span = Span;
        if (T.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(span))) return -1;
        for (int i = 0; i < span.Length; i++)
            if (!T.IsFinite(span[i])) return i;
        return -1;
    }

    /// <summary>The index of flat position <paramref name="flat"/>, one entry per dimension, e.g. <c>[3,1]</c>.</summary>
    public string FormatIndex(int flat)
    {
        var index = new int[Shape.Rank];
        for (int a = Shape.Rank - 1; a >= 0; a--)
        {
            index[a] = flat % Shape.Span[a];
            flat /= Shape.Span[a];
        }
        return "[" + string.Join(",", index) + "]";
    }

    public int FlatIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != Shape.Rank)
            throw new ArgumentException($"Tensor indexer: {index.Length} indices given for shape {Shape} (rank {Shape.Rank}).");
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int d = Shape.Span[i];
            if ((uint)index[i] >= (uint)d)
                throw new IndexOutOfRangeException($"Tensor indexer: index {index[i]} is out of range for dimension {i} of shape {Shape}.");
            flat = flat * d + index[i];
        }
        return flat;
    }
}
