using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

internal readonly struct SigmoidOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // TensorPrimitives.Sigmoid rejects empty spans; an empty tensor has an empty sigmoid.
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d)
    {
        if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, d);
    }
}

internal readonly struct ReluOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // IEEE maximum: NaN propagates, and max(−0, +0) = +0.
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Max(x, T.Zero, d);
}

internal readonly struct SqrtOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

internal readonly struct AbsOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}

/// <summary>
/// softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so that neither large positive inputs
/// overflow nor large negative ones lose every digit. log1p(z) uses Goldberg's trick
/// log(u)·z/(u − 1) with u = 1 + z, which keeps full relative precision for tiny z (plain log(1 + z) returns 0 there).
/// </summary>
internal readonly struct SoftplusOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 256;

    public static void Invoke(ReadOnlySpan<T> x, Span<T> d)
    {
        Span<T> z = stackalloc T[Chunk];
        Span<T> u = stackalloc T[Chunk];
        Span<T> l = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            var ds = d.Slice(start, n);
            var zs = z[..n];
            var us = u[..n];
            var ls = l[..n];
            TensorPrimitives.Abs(xs, zs);
            TensorPrimitives.Negate(zs, zs);
            TensorPrimitives.Exp(zs, zs);               // z = e^−|x| in [0, 1]
            TensorPrimitives.Add(zs, T.One, us);        // u = 1 + z (rounded)
            TensorPrimitives.Log(us, ls);               // ln u
            TensorPrimitives.Subtract(us, T.One, us);   // u − 1, exact for u in [1, 2]
            TensorPrimitives.Max(xs, T.Zero, ds);
            for (int i = 0; i < n; i++)
            {
                T log1p = us[i] == T.Zero ? zs[i] : ls[i] * (zs[i] / us[i]);
                ds[i] += log1p;
            }
        }
    }
}

/// <summary>
/// A rule from a value to a constant gradient factor (a 0/1 mask, a sign), in scalar and SIMD form. NaN inputs are
/// handled by the driver, not the rule: they map to NaN, so a NaN forward value also gives a NaN gradient.
/// </summary>
internal interface IMaskRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T x);

    Vector<T> Invoke(Vector<T> x);
}

/// <summary>1 where x &gt; 0, else 0 (relu's derivative; 0 at x = 0 by convention).</summary>
internal readonly struct PositiveRule<T> : IMaskRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? T.One : T.Zero;

    public Vector<T> Invoke(Vector<T> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
}

/// <summary>+1 where x &gt; 0, −1 where x &lt; 0, 0 at ±0 (abs's derivative; 0 at the kink by convention).</summary>
internal readonly struct SignRule<T> : IMaskRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;

    public Vector<T> Invoke(Vector<T> x) =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One,
            Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -Vector<T>.One, Vector<T>.Zero));
}

/// <summary>1 where min &lt; x &lt; max strictly, else 0 (clamp's derivative; 0 on the boundaries).</summary>
internal readonly struct InsideRule<T>(T min, T max) : IMaskRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > min && x < max ? T.One : T.Zero;

    public Vector<T> Invoke(Vector<T> x) =>
        Vector.ConditionalSelect(
            Vector.GreaterThan(x, new Vector<T>(min)) & Vector.LessThan(x, new Vector<T>(max)),
            Vector<T>.One, Vector<T>.Zero);
}

/// <summary>Elementwise kernels that take scalar arguments or several inputs, and the mask driver.</summary>
internal static class ActivationKernels
{
    /// <summary>destination = x^exponent elementwise (IEEE pow: x⁰ = 1 even for NaN, negative x with a fractional exponent is NaN).</summary>
    public static void Pow<T>(ReadOnlySpan<T> x, T exponent, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Pow(x, exponent, destination);

    /// <summary>destination = min(max(x, lower), upper) elementwise; NaN propagates. The caller checks lower ≤ upper.</summary>
    public static void Clamp<T>(ReadOnlySpan<T> x, T lower, T upper, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Max(x, lower, destination);
        TensorPrimitives.Min(destination, upper, destination);
    }

    /// <summary>destination = condition ≠ 0 ? a : b elementwise; all four spans have the same length (NaN conditions select a).</summary>
    public static void Select<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= condition.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var isZero = Vector.Equals(new Vector<T>(condition[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(isZero, new Vector<T>(b[i..]), new Vector<T>(a[i..])).CopyTo(destination[i..]);
            }
        }
        for (; i < condition.Length; i++) destination[i] = condition[i] != T.Zero ? a[i] : b[i];
    }

    /// <summary>destination = rule(x) elementwise, with NaN mapped to NaN.</summary>
    public static void Mask<T, TRule>(ReadOnlySpan<T> x, Span<T> destination, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IMaskRule<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.Equals(v, v), rule.Invoke(v), v).CopyTo(destination[i..]);
            }
        }
        for (; i < x.Length; i++) destination[i] = T.IsNaN(x[i]) ? x[i] : rule.Invoke(x[i]);
    }
}
