using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = √x. VJP: g / (2y). JVP: t / (2y). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class SqrtOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Sqrt", x,
            ElementwiseUnary<T, SqrtOperator<T>>.Instance,
            Apply,
            static (_, y, g) => g / (y + y),
            static (_, y, t) => t / (y + y),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise square root; any shape to the same shape. NaN below zero, √(−0) = −0; the gradient at 0 is +∞.</summary>
    public static Tensor<T> Sqrt<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SqrtOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise square root (lets F#'s <c>sqrt x</c> work on tensors).</summary>
    public static Tensor<T> Sqrt(Tensor<T> x) => SqrtOp.Apply(x);
}
