using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = tanh x. VJP: g⊙(1 − y²). JVP: t⊙(1 − y²). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class TanhOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Tanh", x,
            ElementwiseUnary<T, TanhOperator<T>>.Instance,
            Apply,
            static (_, y, g) => TanhGradientOp.Apply(y, g),
            static (_, y, t) => TanhGradientOp.Apply(y, t),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise hyperbolic tangent.</summary>
    public static Tensor<T> Tanh<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => TanhOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise hyperbolic tangent (lets F#'s <c>tanh x</c> work on tensors).</summary>
    public static Tensor<T> Tanh(Tensor<T> x) => TanhOp.Apply(x);
}
