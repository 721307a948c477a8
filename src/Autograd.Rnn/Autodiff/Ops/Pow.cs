using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// y = xᵖ for a constant scalar p. VJP: g⊙p⊙xᵖ⁻¹, with p = 0 giving zeros and p = 1 giving g exactly
/// (so no 0·∞ or 0⁰ appears in the rule at x = 0). JVP: the same with t for g.
/// Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class PowOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, T exponent) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Pow", x,
            v => Kernel(v, exponent),
            v => Apply(v, exponent),
            (x, _, g) =>
                exponent == T.Zero ? Tensor.ZerosLike(x)
                : exponent == T.One ? g
                : g * (Apply(x, exponent - T.One) * exponent),
            (x, _, t) =>
                exponent == T.Zero ? Tensor.ZerosLike(x)
                : exponent == T.One ? t
                : t * (Apply(x, exponent - T.One) * exponent),
            (x, axis) => new(Apply(x, exponent), axis));

    private static NdArray<T> Kernel<T>(NdArray<T> x, T exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = GC.AllocateUninitializedArray<T>(x.Size);
        ActivationKernels.Pow(x.Span, exponent, result);
        return new NdArray<T>(result, x.Shape);
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Elementwise power xᵖ with a scalar exponent; any shape to the same shape. IEEE pow rules: x⁰ = 1 for every x
    /// (NaN included), a negative x with a non-integer exponent gives NaN, 0 to a negative power gives +∞.
    /// The exponent is a constant: no gradient flows to it.
    /// </summary>
    public static Tensor<T> Pow<T>(Tensor<T> x, T exponent) where T : unmanaged, IFloatingPointIeee754<T> => PowOp.Apply(x, exponent);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise power xᵖ with a scalar exponent (lets F#'s <c>x ** 2.0f</c> work on tensors).</summary>
    public static Tensor<T> Pow(Tensor<T> x, T exponent) => PowOp.Apply(x, exponent);
}
