using System.Collections.Immutable;

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

    /// <summary>Creates a shape from its dimensions; each must be zero or positive.</summary>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public Shape(params int[] dimensions) : this(dimensions, copy: true)
    {
    }

    private Shape(int[] dimensions, bool copy)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        long size = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
                throw new ArgumentException($"Shape {Format(dimensions)}: dimension {i} is negative.", nameof(dimensions));
            size *= dimensions[i];
            if (size > int.MaxValue)
                throw new ArgumentException($"Shape {Format(dimensions)} has more than {int.MaxValue} elements.", nameof(dimensions));
        }
        this.dimensions = copy ? (int[])dimensions.Clone() : dimensions;
        Size = (int)size;
    }

    /// <summary>A shape that takes ownership of <paramref name="dimensions"/>, a new array nobody else writes to (no defensive copy).</summary>
    internal static Shape Owning(params int[] dimensions) => new(dimensions, copy: false);

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

    /// <summary>The product of dimensions [start, end).</summary>
    internal int Product(int start, int end)
    {
        int p = 1;
        for (int i = start; i < end; i++) p *= dimensions[i];
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
