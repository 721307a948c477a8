using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The dimensions of a tensor, outermost first (row-major). A scalar has rank 0 and size 1.
/// Immutable; compares by value.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] dimensions;

    /// <summary>The shape of a scalar: rank 0, one element.</summary>
    public static readonly Shape Scalar = new([]);

    /// <summary>The most elements a tensor can hold: the length of the longest array .NET allocates (<see cref="Array.MaxLength"/>).</summary>
    public static int MaxSize => Array.MaxLength;

    /// <summary>
    /// Creates a shape from its dimensions; each must be zero or positive, and their product at most <see cref="MaxSize"/>
    /// (a dimension of 0 makes the product 0, whatever the others).
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative, or the shape has more than <see cref="MaxSize"/> elements.</exception>
    public Shape(params int[] dimensions) : this(dimensions, copy: true, what: null)
    {
    }

    private Shape(int[] dimensions, bool copy, string? what)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        for (int i = 0; i < dimensions.Length; i++)
            if (dimensions[i] < 0)
                throw new ArgumentException($"{Describe(what, dimensions)}: dimension {i} is negative.", nameof(dimensions));
        long size = SaturatedSize(dimensions);
        if (size > MaxSize)
            throw new ArgumentException($"{Describe(what, dimensions)} {TooLargeMessage(dimensions)}.", nameof(dimensions));
        this.dimensions = copy ? (int[])dimensions.Clone() : dimensions;
        Size = (int)size;
    }

    /// <summary>
    /// A shape an operation computed, taking ownership of <paramref name="dimensions"/>. When it is invalid the message
    /// names it with <paramref name="what"/> in place of "Shape", e.g. what = "Eye: the identity matrix" reads
    /// <c>Eye: the identity matrix [65536,65536] has 4294967296 elements, more than the 2147483591 a tensor can hold.</c>
    /// Not for hot paths: <paramref name="what"/> is built on every call (see <see cref="TooLarge"/>).
    /// </summary>
    internal static Shape Result(string what, params int[] dimensions) => new(dimensions, copy: false, what);

    /// <summary>
    /// Whether dimensions (none negative) would hold more than <see cref="MaxSize"/> elements; when so,
    /// <paramref name="message"/> is, e.g., <c>[65536,65537] has 4295032832 elements, more than the 2147483591 a tensor can hold</c>.
    /// </summary>
    internal static bool TooLarge(ReadOnlySpan<int> dimensions, out string message)
    {
        bool tooLarge = SaturatedSize(dimensions) > MaxSize;
        message = tooLarge ? $"{Format(dimensions.ToArray())} {TooLargeMessage(dimensions)}" : "";
        return tooLarge;
    }

    // The product of the dimensions, or MaxSize + 1 when it is larger. Saturating keeps the long from overflowing
    // (each step is at most (MaxSize + 1)·int.MaxValue < 2⁶³) and still lets a later 0 make the product 0.
    private static long SaturatedSize(ReadOnlySpan<int> dimensions)
    {
        long size = 1;
        foreach (int d in dimensions) size = Math.Min(size * d, MaxSize + 1L);
        return size;
    }

    // "has 4295032832 elements, more than …": the count exact, for the message only (the product can pass Int128 at rank 5).
    private static string TooLargeMessage(ReadOnlySpan<int> dimensions)
    {
        BigInteger product = BigInteger.One;
        foreach (int d in dimensions) product *= d;
        return $"has {product.ToString(CultureInfo.InvariantCulture)} elements, more than the {MaxSize} a tensor can hold";
    }

    private static string Describe(string? what, int[] dimensions) => $"{what ?? "Shape"} {Format(dimensions)}";

    /// <summary>A shape that takes ownership of <paramref name="dimensions"/>, a new array nobody else writes to (no defensive copy).</summary>
    internal static Shape Owning(params int[] dimensions) => new(dimensions, copy: false, what: null);

    /// <summary>The number of dimensions.</summary>
    public int Rank => dimensions.Length;

    /// <summary>The number of elements: the product of the dimensions (1 for a scalar).</summary>
    public int Size { get; }

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => dimensions[NormalizeAxis(axis, "Shape")];

    /// <summary>The dimensions as an immutable array.</summary>
    public ImmutableArray<int> Dimensions => ImmutableArray.Create(dimensions);

    /// <summary>A copy of the dimensions as a new array.</summary>
    public int[] ToArray() => (int[])dimensions.Clone();

    internal ReadOnlySpan<int> Span => dimensions;

    /// <summary>
    /// Turns a possibly negative axis into an index in [0, Rank); throws naming <paramref name="operation"/>
    /// when it is out of range.
    /// </summary>
    internal int NormalizeAxis(int axis, string operation)
    {
        int normalized = axis < 0 ? axis + Rank : axis;
        if (normalized < 0 || normalized >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{operation}: axis {axis} is out of range for shape {this} (rank {Rank}).");
        return normalized;
    }

    /// <summary>
    /// The product of dimensions [start, end). Checked: it cannot overflow for a shape with elements (each partial product
    /// is at most <see cref="Size"/>), but a shape with a 0 dimension may hold others whose product passes int.MaxValue.
    /// </summary>
    internal int Product(int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++) p = checked(p * dimensions[i]);
        return p;
    }

    /// <summary>Returns this shape with dimension <paramref name="axis"/> replaced.</summary>
    internal Shape WithDimension(int axis, int size)
    {
        var d = (int[])dimensions.Clone();
        d[axis] = size;
        return Owning(d);
    }

    /// <summary>Returns this shape without dimension <paramref name="axis"/>.</summary>
    internal Shape Without(int axis)
    {
        var d = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++) if (i != axis) d[j++] = dimensions[i];
        return Owning(d);
    }

    /// <summary>Returns this shape with a dimension of <paramref name="size"/> inserted at <paramref name="axis"/>.</summary>
    internal Shape Inserting(int axis, int size)
    {
        var d = new int[Rank + 1];
        for (int i = 0, j = 0; i < d.Length; i++) d[i] = i == axis ? size : dimensions[j++];
        return Owning(d);
    }

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && dimensions.AsSpan().SequenceEqual(other.dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in dimensions) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>True when both shapes have the same dimensions.</summary>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>True when the shapes differ.</summary>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);

    /// <summary>Formats as <c>[2,3]</c>; a scalar is <c>[]</c>.</summary>
    public override string ToString() => Format(dimensions);

    private static string Format(int[] dims) => "[" + string.Join(",", dims) + "]";
}
