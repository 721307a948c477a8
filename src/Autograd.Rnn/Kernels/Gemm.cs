using System.Numerics;

namespace Autograd.Rnn.Kernels;

/// <summary>PLACEHOLDER — being replaced by the blocked SIMD kernel.</summary>
internal static class Gemm
{
    /// <summary>
    /// c[m,n] = op(a)·op(b), overwriting c. a is [m,k] row-major, or [k,m] when <paramref name="transposeA"/>;
    /// b is [k,n], or [n,k] when <paramref name="transposeB"/>. Both transposed at once is not supported.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                    s += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
    }
}
