using System.Numerics;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt, which neither <see cref="Math"/> nor TensorPrimitives provides.
/// W. J. Cody's near-minimax rational approximations ("Rational Chebyshev approximations for the error function",
/// Math. Comp. 23 (1969), 631–637; the coefficients as published in his CALERF routine, netlib specfun, 1990), which
/// approximate erf and erfc to at least 18 significant digits, evaluated in double for both float and double:
/// |x| ≤ 0.46875: erf x = x·A(x²)/B(x²); 0.46875 &lt; |x| ≤ 4: erfc |x| = e^(−x²)·C(|x|)/D(|x|);
/// |x| &gt; 4: erfc |x| = e^(−x²)/|x|·(1/√π − x⁻²·P(x⁻²)/Q(x⁻²)); erf x = ±(1 − erfc |x|).
/// A scalar loop: the three branches and the exponential make a SIMD form not worth its complexity for the sizes here.
/// </summary>
internal readonly struct ErfOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = T.CreateTruncating(Erf.Evaluate(double.CreateTruncating(x[i])));
    }
}

internal static class Erf
{
    private const double FirstLimit = 0.46875;
    private const double InverseSqrtPi = 0.56418958354775628695;

    // erfc |x| < 2⁻⁵⁶ beyond this, so erf x rounds to ±1 in double.
    private const double One = 6.0;

    // Highest-degree numerator coefficient first, then the rest in Cody's order (see Polynomial below).
    private static ReadOnlySpan<double> A => [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
    private static ReadOnlySpan<double> B => [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
    private static ReadOnlySpan<double> C =>
    [
        5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
        1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
    ];
    private static ReadOnlySpan<double> D =>
    [
        1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
        4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
    ];
    private static ReadOnlySpan<double> P => [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
    private static ReadOnlySpan<double> Q => [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];

    /// <summary>erf x in double; erf(±0) = ±0, erf(±∞) = ±1, NaN stays NaN.</summary>
    public static double Evaluate(double x)
    {
        double y = Math.Abs(x);
        if (y <= FirstLimit)
        {
            double z = y * y;
            return x * Ratio(A, B, z);
        }
        if (double.IsNaN(y)) return x;
        double erf = y >= One ? 1.0 : 1.0 - Erfc(y);
        return x < 0 ? -erf : erf;
    }

    // erfc y for 0.46875 < y < 6.
    private static double Erfc(double y)
    {
        double r;
        if (y <= 4.0)
        {
            r = Ratio(C, D, y);
        }
        else
        {
            double z = 1.0 / (y * y);
            r = (InverseSqrtPi - z * Ratio(P, Q, z)) / y;
        }
        // e^(−y²) as e^(−s²)·e^(−(y − s)(y + s)) with s = y rounded down to 1/16: s² is exact, so the rounding error
        // of y² (amplified by y² in the exponential) is avoided — Cody's trick.
        double s = Math.Truncate(y * 16.0) / 16.0;
        return Math.Exp(-s * s) * Math.Exp(-(y - s) * (y + s)) * r;
    }

    // Cody's evaluation order: numerator[last]·zⁿ + numerator[0]·zⁿ⁻¹ + … + numerator[n−1], over
    // zⁿ + denominator[0]·zⁿ⁻¹ + … + denominator[n−1] (the numerator has one more coefficient than the denominator).
    private static double Ratio(ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator, double z)
    {
        int n = denominator.Length;
        double top = numerator[n] * z, bottom = z;
        for (int i = 0; i < n - 1; i++)
        {
            top = (top + numerator[i]) * z;
            bottom = (bottom + denominator[i]) * z;
        }
        return (top + numerator[n - 1]) / (bottom + denominator[n - 1]);
    }
}
