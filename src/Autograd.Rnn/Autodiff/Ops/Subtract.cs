using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>a − b with broadcasting. VJP: g for a, −g for b, each summed back to its input's shape.
/// JVP: ṫa − ṫb. Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class SubtractOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("Subtract", a, b,
            ElementwiseBinary<T, SubtractOperator<T>>.Instance,
            Apply,
            static (a, b, _, g, i) => i == 0 ? Tensor.SumTo(g, a.Shape) : -Tensor.SumTo(g, b.Shape),
            static (_, _, _, t, i) => i == 0 ? t : -t,
            static (a, b) => Batching.Elementwise(a, b, Apply));
}

public static partial class Tensor
{
    /// <summary>Elementwise a − b, broadcasting NumPy-style.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Subtract<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> => SubtractOp.Apply(a, b);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise a − b with broadcasting.</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => SubtractOp.Apply(a, b);

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T b) => SubtractOp.Apply(a, Tensor.Scalar(b));

    /// <summary>A scalar minus every element (e.g. <c>1 - z</c>).</summary>
    public static Tensor<T> operator -(T a, Tensor<T> b) => SubtractOp.Apply(Tensor.Scalar(a), b);
}
