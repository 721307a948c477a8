using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>a + b with broadcasting. VJP: the cotangent, summed back to each input's shape. JVP: each input's tangent (broadcast). Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class AddOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("Add", a, b,
            ElementwiseBinary<T, AddOperator<T>>.Instance,
            Apply,
            static (a, b, _, g, i) => Tensor.SumTo(g, i == 0 ? a.Shape : b.Shape),
            static (_, _, _, t, _) => t,
            static (a, b) => Batching.Elementwise(a, b, Apply));
}

public static partial class Tensor
{
    /// <summary>Elementwise a + b, broadcasting NumPy-style (e.g. [batch, n] + [n]).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Add<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> => AddOp.Apply(a, b);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise a + b with broadcasting.</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => AddOp.Apply(a, b);

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T b) => AddOp.Apply(a, Tensor.Scalar(b));

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor<T> operator +(T a, Tensor<T> b) => AddOp.Apply(Tensor.Scalar(a), b);
}
