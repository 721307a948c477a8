using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// A·Bᵀ for a handful of rows (an RNN step at batch 1..4: x·Wᵀ with W [4·hidden, in]) as dot products of contiguous
/// rows. The blocked path would first transpose-pack all of B, k·n copies, for only m·n·k multiply-adds; here B is
/// read once, in place, and each group of four B rows stays in L1 while every row of A passes over it.
/// </summary>
internal static unsafe class GemmDot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Up to this many rows the dot form wins; above it packing B is amortised over enough rows.</summary>
    public const int MaxRows = 4;

    public static bool Applies(int m) => m <= MaxRows && GemmMicroKernel<T>.Path == GemmPath.Vector512;

    /// <summary>
    /// c[i, j] = Σ_p a[i·k + p]·b[j·k + p] for i &lt; m, j &lt; n; k ≥ 1 — or, with <paramref name="accumulate"/>,
    /// c[i, j] += that sum (the dot product is finished first and added once, so c + A·Bᵀ rounds exactly as a product
    /// followed by an addition would).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(T* a, T* b, T* c, int m, int n, int k, bool accumulate)
    {
        int w = Vector512<T>.Count;
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            T* b0 = b + (nint)j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
            for (int i = 0; i < m; i++)
            {
                T* ai = a + (nint)i * k;
                Vector512<T> s0 = Vector512<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
                int p = 0;
                for (; p + w <= k; p += w)
                {
                    Vector512<T> x = Vector512.Load(ai + p);
                    s0 = MultiplyAdd(x, Vector512.Load(b0 + p), s0);
                    s1 = MultiplyAdd(x, Vector512.Load(b1 + p), s1);
                    s2 = MultiplyAdd(x, Vector512.Load(b2 + p), s2);
                    s3 = MultiplyAdd(x, Vector512.Load(b3 + p), s3);
                }
                T d0 = Vector512.Sum(s0), d1 = Vector512.Sum(s1), d2 = Vector512.Sum(s2), d3 = Vector512.Sum(s3);
                for (; p < k; p++)
                {
                    d0 += ai[p] * b0[p];
                    d1 += ai[p] * b1[p];
                    d2 += ai[p] * b2[p];
                    d3 += ai[p] * b3[p];
                }
                T* ci = c + (nint)i * n + j;
                if (accumulate) { ci[0] += d0; ci[1] += d1; ci[2] += d2; ci[3] += d3; }
                else { ci[0] = d0; ci[1] = d1; ci[2] = d2; ci[3] = d3; }
            }
        }
        for (; j < n; j++)
        {
            T* bj = b + (nint)j * k;
            for (int i = 0; i < m; i++)
            {
                T* ai = a + (nint)i * k;
                Vector512<T> s = Vector512<T>.Zero;
                int p = 0;
                for (; p + w <= k; p += w)
                    s = MultiplyAdd(Vector512.Load(ai + p), Vector512.Load(bj + p), s);
                T d = Vector512.Sum(s);
                for (; p < k; p++)
                    d += ai[p] * bj[p];
                if (accumulate) c[(nint)i * n + j] += d;
                else c[(nint)i * n + j] = d;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }
}
