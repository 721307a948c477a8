using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = erf x. VJP: g⊙(2/√π)·e^(−x²). JVP: t⊙(2/√π)·e^(−x²). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class ErfOp
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031;

    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Erf", x,
            ElementwiseUnary<T, ErfOperator<T>>.Instance,
            Apply,
            static (x, _, g) => g * (Tensor.Exp(-(x * x)) * T.CreateChecked(TwoOverSqrtPi)),
            static (x, _, t) => t * (Tensor.Exp(-(x * x)) * T.CreateChecked(TwoOverSqrtPi)),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>
    /// Elementwise error function erf x = 2/√π ∫₀ˣ e^(−t²) dt; any shape to the same shape, values in [−1, 1].
    /// Accurate to about one unit in the last place in float and double (W. J. Cody's rational approximations);
    /// erf(±∞) = ±1, erf(−0) = −0, NaN stays NaN.
    /// </summary>
    public static Tensor<T> Erf<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => ErfOp.Apply(x);
}
