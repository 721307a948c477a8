using System.Numerics;
using System.Runtime.InteropServices;

namespace Autograd.Rnn.Kernels;

/// <summary>A pairwise test, in scalar and SIMD form (all-ones lanes where it holds), that <see cref="CompareOperator{T, TRule}"/> turns into 0/1.</summary>
internal interface ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract bool Invoke(T a, T b);

    static abstract Vector<T> Invoke(Vector<T> a, Vector<T> b);
}

// The IEEE comparisons: false whenever either side is NaN (Equal included), and −0 equals +0.
internal readonly struct GreaterRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) => a > b;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.GreaterThan(a, b);
}

internal readonly struct LessRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) => a < b;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.LessThan(a, b);
}

internal readonly struct GreaterOrEqualRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) => a >= b;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.GreaterThanOrEqual(a, b);
}

internal readonly struct LessOrEqualRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) => a <= b;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.LessThanOrEqual(a, b);
}

internal readonly struct EqualRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) => a == b;
    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) => Vector.Equals(a, b);
}

/// <summary>
/// a is what the IEEE 754 maximum (<see cref="System.Numerics.Tensors.TensorPrimitives.Max{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>)
/// of a and b returns: a is NaN, or b is not NaN and a &gt; b, or a = b except for a = −0, b = +0. Ties go to a.
/// </summary>
internal readonly struct MaximumTakesFirstRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) =>
        T.IsNaN(a) || (!T.IsNaN(b) && (a > b || (a == b && (!T.IsNegative(a) || T.IsNegative(b)))));

    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) =>
        ~Vector.Equals(a, a)
        | (Vector.Equals(b, b) & (Vector.GreaterThan(a, b) | (Vector.Equals(a, b) & (~Vector.IsNegative(a) | Vector.IsNegative(b)))));
}

/// <summary>a is what the IEEE 754 minimum returns: a is NaN, or b is not NaN and a &lt; b, or a = b except for a = +0, b = −0. Ties go to a.</summary>
internal readonly struct MinimumTakesFirstRule<T> : ICompareRule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Invoke(T a, T b) =>
        T.IsNaN(a) || (!T.IsNaN(b) && (a < b || (a == b && (T.IsNegative(a) || !T.IsNegative(b)))));

    public static Vector<T> Invoke(Vector<T> a, Vector<T> b) =>
        ~Vector.Equals(a, a)
        | (Vector.Equals(b, b) & (Vector.LessThan(a, b) | (Vector.Equals(a, b) & (Vector.IsNegative(a) | ~Vector.IsNegative(b)))));
}

/// <summary>destination = rule(a, b) ? 1 : 0, in the three run forms the broadcasting driver calls.</summary>
internal readonly struct CompareOperator<T, TRule> : IBinarySpanOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRule : ICompareRule<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Run(x, y, false, d);

    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => Run(x, MemoryMarshal.CreateReadOnlySpan(ref y, 1), true, d);

    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d)
    {
        // rule(x, y[i]) with x fixed: the same loop with the operands' roles kept, x broadcast.
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var a = new Vector<T>(x);
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
                Vector.ConditionalSelect(TRule.Invoke(a, new Vector<T>(y[i..])), Vector<T>.One, Vector<T>.Zero).CopyTo(d[i..]);
        }
        for (; i < y.Length; i++) d[i] = TRule.Invoke(x, y[i]) ? T.One : T.Zero;
    }

    // One loop for run-run and run-scalar (the scalar is y[0] when yIsScalar).
    private static void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> y, bool yIsScalar, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var scalar = yIsScalar ? new Vector<T>(y[0]) : default;
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var b = yIsScalar ? scalar : new Vector<T>(y[i..]);
                Vector.ConditionalSelect(TRule.Invoke(new Vector<T>(x[i..]), b), Vector<T>.One, Vector<T>.Zero).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = TRule.Invoke(x[i], yIsScalar ? y[0] : y[i]) ? T.One : T.Zero;
    }
}
