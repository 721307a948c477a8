using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// The transposing half of packing: vectors that run along k in the source (rows of A, rows of Bᵀ) become
/// k-major panels. Done one element at a time this costs about 2 cycles per element and made A·Bᵀ with 32 rows run
/// at 70 GFLOP/s; 8×8 (float) or 4×4 (double) register transposes bring it well under one.
/// </summary>
internal static unsafe class GemmTranspose<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// destination[p·width + r] = source[r·stride + p] for r &lt; count, p &lt; kc; count ≤ width. Lanes count..width
    /// are left for the caller to zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Interleave(T* source, nint stride, int count, int kc, T* destination, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            int block = Vector256<T>.Count;
            for (; r + block <= count; r += block)
            {
                T* s = source + r * stride;
                T* d = destination + r;
                int p = 0;
                for (; p + block <= kc; p += block)
                {
                    if (typeof(T) == typeof(float))
                        Transpose8x8((float*)(s + p), stride, (float*)(d + (nint)p * width), width);
                    else
                        Transpose4x4((double*)(s + p), stride, (double*)(d + (nint)p * width), width);
                }
                for (; p < kc; p++)
                    for (int i = 0; i < block; i++)
                        d[(nint)p * width + i] = s[i * stride + p];
            }
        }
        for (; r < count; r++)
        {
            T* s = source + r * stride;
            T* d = destination + r;
            for (int p = 0; p < kc; p++)
                d[(nint)p * width] = s[p];
        }
    }

    /// <summary>d[j·ds + i] = s[i·ss + j] for an 8×8 block: the usual unpack / shuffle / 128-bit permute network.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ss, float* d, nint ds)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * ss), r5 = Avx.LoadVector256(s + 5 * ss);
        Vector256<float> r6 = Avx.LoadVector256(s + 6 * ss), r7 = Avx.LoadVector256(s + 7 * ss);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>d[j·ds + i] = s[i·ss + j] for a 4×4 block of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint ss, double* d, nint ds)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss);
        Vector256<double> r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(t1, t3, 0x31));
    }
}
