using System.Numerics;

namespace Autograd.Rnn;

// Stack and Unstack are compositions of Reshape with Concat and Narrow: they need no gradient or JVP rule of their own.
public static partial class Tensor
{
    /// <summary>
    /// Joins tensors of one shape along a new <paramref name="axis"/> (from −(rank+1) to rank; negative counts from the
    /// end of the result): n tensors [batch, features] stacked along axis 1 -> [batch, n, features].
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Stack<T>(Tensor<T>[] tensors, int axis = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("Stack: no tensors to stack.", nameof(tensors));
        for (int i = 0; i < tensors.Length; i++)
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"Stack: tensor {i} is null.");
        var shape = tensors[0].Shape;
        foreach (var t in tensors)
            if (t.Shape != shape) throw new ArgumentException($"Stack: {shape} and {t.Shape} differ; stacked tensors must have one shape.", nameof(tensors));
        int a = axis < 0 ? axis + shape.Rank + 1 : axis;
        if (a < 0 || a > shape.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Stack: axis {axis} is out of range for stacking tensors of shape {shape} (result rank {shape.Rank + 1}).");
        var expanded = shape.Inserting(a, 1);
        var inputs = new Tensor<T>[tensors.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = ReshapeOp.Apply(tensors[i], expanded);
        return ConcatOp.Apply(inputs, a);
    }

    /// <summary>
    /// The slices of x along <paramref name="axis"/>, each without that axis (the inverse of <see cref="Stack{T}"/>):
    /// x [batch, time, features] unstacked along axis 1 -> time tensors [batch, features].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T>[] Unstack<T>(Tensor<T> x, int axis = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "Unstack");
        var sliceShape = x.Shape.Without(a);
        var slices = new Tensor<T>[x.Shape.Span[a]];
        for (int i = 0; i < slices.Length; i++) slices[i] = ReshapeOp.Apply(NarrowOp.Apply(x, a, i, 1), sliceShape);
        return slices;
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>The slices along <paramref name="axis"/>, each without that axis (see <see cref="Tensor.Unstack{T}"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public Tensor<T>[] Unstack(int axis = 0) => Tensor.Unstack(this, axis);
}
