using System.Numerics;

namespace Autograd.Rnn;

/// <summary>The same elements in the same row-major order under another shape. VJP: g reshaped back. JVP: the tangent reshaped. Batching: batch axis first, then [B, shape…].</summary>
internal static class ReshapeOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape == shape) return x;
        if (x.Size != shape.Size)
            throw new ArgumentException($"Reshape: {x.Shape} ({x.Size} elements) cannot be reshaped to {shape} ({shape.Size} elements).");
        return Trace.Unary("Reshape", x,
            v => v.Reshape(shape),
            v => Apply(v, shape),
            static (x, _, g) => Apply(g, x.Shape),
            (_, _, t) => Apply(t, shape),
            (x, axis) => new(Apply(Batching.Front(x, axis), shape.Inserting(0, x.Shape.Span[axis])), 0));
    }

    /// <summary>Resolves one −1 dimension from the element count.</summary>
    public static Shape Resolve(Shape from, int[] dimensions)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] == -1)
            {
                if (inferred >= 0) throw new ArgumentException($"Reshape: {from} to [{string.Join(",", dimensions)}]: only one dimension may be -1.");
                inferred = i;
            }
            else if (dimensions[i] < 0)
            {
                throw new ArgumentException($"Reshape: {from} to [{string.Join(",", dimensions)}]: dimension {i} is negative.");
            }
            else known *= dimensions[i];
        }
        if (inferred < 0) return new Shape(dimensions);
        if (known == 0 || from.Size % known != 0)
            throw new ArgumentException($"Reshape: {from} ({from.Size} elements) cannot be reshaped to [{string.Join(",", dimensions)}].");
        var resolved = (int[])dimensions.Clone();
        resolved[inferred] = (int)(from.Size / known);
        return Shape.Owning(resolved);
    }
}

public static partial class Tensor
{
    /// <summary>The same elements under a new shape with the same number of elements; one dimension may be −1 (inferred).</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static Tensor<T> Reshape<T>(Tensor<T> x, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        ReshapeOp.Apply(x, ReshapeOp.Resolve(x.Shape, shape));
}

public sealed partial class Tensor<T>
{
    /// <summary>The same elements under a new shape with the same number of elements; one dimension may be −1 (inferred).</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor<T> Reshape(params int[] shape) => ReshapeOp.Apply(this, ReshapeOp.Resolve(Shape, shape));

    /// <summary>The same elements under <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor<T> Reshape(Shape shape) => ReshapeOp.Apply(this, shape);
}
