using System.Numerics;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// σ's backward product from its output y and the cotangent g: g⊙y⊙(1 − y) in one pass, evaluated as (g·y)·(1 − y),
/// the order in which the composed ops compute it, so the two agree to the last bit.
/// </summary>
internal readonly struct SigmoidGradientOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(g[i..]) * yv * (Vector<T>.One - yv)).CopyTo(d[i..]);
            }
        for (; i < y.Length; i++) d[i] = g[i] * y[i] * (T.One - y[i]);
    }

    public static void Invoke(ReadOnlySpan<T> y, T g, Span<T> d)
    {
        for (int i = 0; i < y.Length; i++) d[i] = g * y[i] * (T.One - y[i]);
    }

    public static void Invoke(T y, ReadOnlySpan<T> g, Span<T> d)
    {
        T factor = T.One - y;
        for (int i = 0; i < g.Length; i++) d[i] = g[i] * y * factor;
    }
}

/// <summary>
/// tanh's backward product from its output y and the cotangent g: g⊙(1 − y²) in one pass, evaluated as g·(1 − y·y),
/// the order in which the composed ops compute it.
/// </summary>
internal readonly struct TanhGradientOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(g[i..]) * (Vector<T>.One - yv * yv)).CopyTo(d[i..]);
            }
        for (; i < y.Length; i++) d[i] = g[i] * (T.One - y[i] * y[i]);
    }

    public static void Invoke(ReadOnlySpan<T> y, T g, Span<T> d)
    {
        for (int i = 0; i < y.Length; i++) d[i] = g * (T.One - y[i] * y[i]);
    }

    public static void Invoke(T y, ReadOnlySpan<T> g, Span<T> d)
    {
        T factor = T.One - y * y;
        for (int i = 0; i < g.Length; i++) d[i] = g[i] * factor;
    }
}
