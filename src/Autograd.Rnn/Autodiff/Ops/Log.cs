using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = ln x. VJP: g / x. JVP: t / x. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class LogOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Log", x,
            ElementwiseUnary<T, LogOperator<T>>.Instance,
            Apply,
            static (x, _, g) => g / x,
            static (x, _, t) => t / x,
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise natural logarithm (NaN below zero, −∞ at zero).</summary>
    public static Tensor<T> Log<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => LogOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise natural logarithm (lets F#'s <c>log x</c> work on tensors).</summary>
    public static Tensor<T> Log(Tensor<T> x) => LogOp.Apply(x);
}
