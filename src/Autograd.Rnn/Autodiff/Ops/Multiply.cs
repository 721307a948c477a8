using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>a ⊙ b with broadcasting. VJP: g⊙b for a and g⊙a for b, each summed back to its input's shape.
/// JVP: ṫa⊙b + a⊙ṫb. Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class MultiplyOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("Multiply", a, b,
            ElementwiseBinary<T, MultiplyOperator<T>>.Instance,
            Apply,
            static (a, b, _, g, i) => i == 0 ? Tensor.SumTo(g * b, a.Shape) : Tensor.SumTo(g * a, b.Shape),
            static (a, b, _, t, i) => i == 0 ? t * b : a * t,
            static (a, b) => Batching.Elementwise(a, b, Apply));
}

public static partial class Tensor
{
    /// <summary>Elementwise (Hadamard) product a ⊙ b, broadcasting NumPy-style.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Multiply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> => MultiplyOp.Apply(a, b);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise (Hadamard) product with broadcasting; for the matrix product use <see cref="MatMul(Tensor{T})"/>.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => MultiplyOp.Apply(a, b);

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T b) => MultiplyOp.Apply(a, Tensor.Scalar(b));

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor<T> operator *(T a, Tensor<T> b) => MultiplyOp.Apply(Tensor.Scalar(a), b);
}
