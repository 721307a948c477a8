using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>a / b with broadcasting. VJP: g/b for a and −g⊙a/b² (= −g⊙y/b) for b, each summed back to its input's shape.
/// JVP: ṫa/b − ṫb⊙y/b. Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class DivideOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("Divide", a, b,
            ElementwiseBinary<T, DivideOperator<T>>.Instance,
            Apply,
            static (a, b, y, g, i) => i == 0 ? Tensor.SumTo(g / b, a.Shape) : Tensor.SumTo(-(g * y) / b, b.Shape),
            static (_, b, y, t, i) => i == 0 ? t / b : -(t * y) / b,
            static (a, b) => Batching.Elementwise(a, b, Apply));
}

public static partial class Tensor
{
    /// <summary>Elementwise a / b, broadcasting NumPy-style.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Divide<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> => DivideOp.Apply(a, b);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise a / b with broadcasting.</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => DivideOp.Apply(a, b);

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T b) => DivideOp.Apply(a, Tensor.Scalar(b));

    /// <summary>A scalar divided by every element.</summary>
    public static Tensor<T> operator /(T a, Tensor<T> b) => DivideOp.Apply(Tensor.Scalar(a), b);
}
