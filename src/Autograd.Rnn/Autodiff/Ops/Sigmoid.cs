using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ). VJP: g⊙y⊙(1 − y). JVP: t⊙y⊙(1 − y). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class SigmoidOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Sigmoid", x,
            ElementwiseUnary<T, SigmoidOperator<T>>.Instance,
            Apply,
            static (_, y, g) => SigmoidGradientOp.Apply(y, g),
            static (_, y, t) => SigmoidGradientOp.Apply(y, t),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), in (0, 1); any shape to the same shape.</summary>
    public static Tensor<T> Sigmoid<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SigmoidOp.Apply(x);
}
