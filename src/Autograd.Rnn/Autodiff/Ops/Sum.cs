using System.Numerics;

namespace Autograd.Rnn;

// Sum and mean are compositions of SumTo and Reshape: they need no gradient or JVP rule of their own.
public static partial class Tensor
{
    /// <summary>The sum of all elements, as a rank-0 tensor.</summary>
    public static Tensor<T> Sum<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SumToOp.Apply(x, Shape.Scalar);

    /// <summary>The sum along <paramref name="axis"/> (negative counts from the end); the axis is removed unless <paramref name="keepDimension"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Sum<T>(Tensor<T> x, int axis, bool keepDimension = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = x.Shape.NormalizeAxis(axis, "Sum");
        var kept = SumToOp.Apply(x, x.Shape.WithDimension(a, 1));
        return keepDimension ? kept : ReshapeOp.Apply(kept, x.Shape.Without(a));
    }

    /// <summary>The mean of all elements, as a rank-0 tensor.</summary>
    public static Tensor<T> Mean<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Sum(x) / T.CreateChecked(x.Size);

    /// <summary>The mean along <paramref name="axis"/>; the axis is removed unless <paramref name="keepDimension"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Mean<T>(Tensor<T> x, int axis, bool keepDimension = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        Sum(x, axis, keepDimension) / T.CreateChecked(x.Shape[axis]);
}

public sealed partial class Tensor<T>
{
    /// <summary>The sum of all elements, as a rank-0 tensor.</summary>
    public Tensor<T> Sum() => Tensor.Sum(this);

    /// <summary>The sum along <paramref name="axis"/>; the axis is removed unless <paramref name="keepDimension"/>.</summary>
    public Tensor<T> Sum(int axis, bool keepDimension = false) => Tensor.Sum(this, axis, keepDimension);

    /// <summary>The mean of all elements, as a rank-0 tensor.</summary>
    public Tensor<T> Mean() => Tensor.Mean(this);

    /// <summary>The mean along <paramref name="axis"/>; the axis is removed unless <paramref name="keepDimension"/>.</summary>
    public Tensor<T> Mean(int axis, bool keepDimension = false) => Tensor.Mean(this, axis, keepDimension);
}
