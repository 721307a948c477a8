using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = log(1 + eˣ), computed stably. VJP: g⊙σ(x). JVP: t⊙σ(x). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class SoftplusOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Softplus", x,
            ElementwiseUnary<T, SoftplusOperator<T>>.Instance,
            Apply,
            static (x, _, g) => g * SigmoidOp.Apply(x),
            static (x, _, t) => t * SigmoidOp.Apply(x),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>
    /// Elementwise softplus log(1 + eˣ), a smooth relu; any shape to the same shape. Computed as
    /// max(x, 0) + log1p(e^−|x|), so it is exact to rounding for large |x| (softplus(100) = 100, softplus(−100) ≈ e⁻¹⁰⁰).
    /// Its derivative is σ(x).
    /// </summary>
    public static Tensor<T> Softplus<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SoftplusOp.Apply(x);
}
