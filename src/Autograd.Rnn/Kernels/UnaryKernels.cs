using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autograd.Rnn.Kernels;

/// <summary>One elementwise unary operation over a contiguous run: a single <see cref="TensorPrimitives"/> call.</summary>
internal interface IUnarySpanOperator<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);
}

internal readonly struct NegateOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

/// <summary>
/// tanh: TensorPrimitives.Tanh, except for |x| &lt; 0.2, where its vector path (System.Numerics.Tensors 10.0.0)
/// computes 1 − e^(−2|x|) with the absolute rounding error of e^(−2|x|): tanh(−0f) came out as 6e-8, tanh(1e-10f)
/// 600 times too large, tanh(1e-30) as 0 in double, and zeros lost their sign. There the Taylor series
/// x − x³/3 + 2x⁵/15 − … (through x¹⁷; the next term is below 1e-17 relative at 0.2) gives full precision.
/// </summary>
internal readonly struct TanhOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 256;
    private const double SeriesLimit = 0.2;

    // Taylor coefficients of tanh x / x − 1 over x², in powers of x², highest first (for Horner's rule). The result is
    // formed as x·(1 + x²·p) rather than x + x³·p so that tanh(−0) keeps its sign.
    private static readonly T[] Coefficients =
    [
        T.CreateChecked(6404582.0 / 10854718875), T.CreateChecked(-929569.0 / 638512875), T.CreateChecked(21844.0 / 6081075),
        T.CreateChecked(-1382.0 / 155925), T.CreateChecked(62.0 / 2835), T.CreateChecked(-17.0 / 315),
        T.CreateChecked(2.0 / 15), T.CreateChecked(-1.0 / 3),
    ];

    public static void Invoke(ReadOnlySpan<T> x, Span<T> d)
    {
        if (!x.Overlaps(d))
        {
            TensorPrimitives.Tanh(x, d);
            CorrectSmallArguments(x, d);
            return;
        }
        // In place: a copy of each chunk of x, so that the correction pass can still read x.
        Span<T> saved = stackalloc T[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = saved[..n];
            x.Slice(start, n).CopyTo(xs);
            var ds = d.Slice(start, n);
            TensorPrimitives.Tanh(xs, ds);
            CorrectSmallArguments(xs, ds);
        }
    }

    private static void CorrectSmallArguments(ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0;
        // The same polynomial, in the same order, as the narrower loops below, so every width gives the same bits; the
        // coefficients are held in registers rather than reloaded per vector (this pass used to cost more than
        // TensorPrimitives.Tanh itself).
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && x.Length >= Vector512<T>.Count)
        {
            var limit = Vector512.Create(T.CreateChecked(SeriesLimit));
            var c0 = Vector512.Create(Coefficients[0]);
            var c1 = Vector512.Create(Coefficients[1]);
            var c2 = Vector512.Create(Coefficients[2]);
            var c3 = Vector512.Create(Coefficients[3]);
            var c4 = Vector512.Create(Coefficients[4]);
            var c5 = Vector512.Create(Coefficients[5]);
            var c6 = Vector512.Create(Coefficients[6]);
            var c7 = Vector512.Create(Coefficients[7]);
            ref T xs = ref MemoryMarshal.GetReference(x);
            ref T ds = ref MemoryMarshal.GetReference(d);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                var small = Vector512.LessThan(Vector512.Abs(v), limit);
                if (small == Vector512<T>.Zero) continue;
                var z = v * v;
                var p = ((((((c0 * z + c1) * z + c2) * z + c3) * z + c4) * z + c5) * z + c6) * z + c7;
                Vector512.ConditionalSelect(small, v * (Vector512<T>.One + z * p), Vector512.LoadUnsafe(ref ds, (nuint)i))
                    .StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var limit = new Vector<T>(T.CreateChecked(SeriesLimit));
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                var small = Vector.LessThan(Vector.Abs(v), limit);
                if (small == Vector<T>.Zero) continue;
                var z = v * v;
                var p = new Vector<T>(Coefficients[0]);
                for (int c = 1; c < Coefficients.Length; c++) p = p * z + new Vector<T>(Coefficients[c]);
                Vector.ConditionalSelect(small, v * (Vector<T>.One + z * p), new Vector<T>(d[i..])).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            T v = x[i];
            if (!(T.Abs(v) < T.CreateChecked(SeriesLimit))) continue;
            T z = v * v, p = Coefficients[0];
            for (int c = 1; c < Coefficients.Length; c++) p = p * z + Coefficients[c];
            d[i] = v * (T.One + z * p);
        }
    }
}

internal readonly struct ExpOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

internal readonly struct LogOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}
