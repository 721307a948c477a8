using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// The maximum along one axis and the one-hot mask of where it was found. A tensor is viewed as
/// [outer, length, inner] with the reduced axis in the middle. The order is IEEE 754 <c>maximum</c>, as in
/// <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>: a NaN wins (the first NaN), and +0 is above −0.
/// </summary>
internal static class MaxKernels
{
    /// <summary>destination[o, i] = max over k of x[o, k, i]; <paramref name="length"/> must be at least 1.</summary>
    public static void MaxAlong<T>(ReadOnlySpan<T> x, int outer, int length, int inner, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * length * inner, length * inner);
            var dest = destination.Slice(o * inner, inner);
            if (inner == 1)
            {
                dest[0] = TensorPrimitives.Max(block);
                continue;
            }
            // Rows of the block are contiguous: a running elementwise maximum stays in SIMD.
            block[..inner].CopyTo(dest);
            for (int k = 1; k < length; k++) TensorPrimitives.Max(dest, block.Slice(k * inner, inner), dest);
        }
    }

    /// <summary>
    /// mask (shaped like x) = 1 at the first k along the axis where x[o, k, i] is the maximum
    /// <paramref name="max"/>[o, i] under the same order, 0 elsewhere: ties go to the first.
    /// </summary>
    public static void FirstMaxMask<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> max, int outer, int length, int inner, Span<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        mask.Clear();
        for (int o = 0; o < outer; o++)
        {
            int blockStart = o * length * inner;
            if (inner == 1)
            {
                // IndexOfMax follows the same order (first NaN, +0 above −0, first of equals).
                int k = TensorPrimitives.IndexOfMax(x.Slice(blockStart, length));
                if (k >= 0) mask[blockStart + k] = T.One;
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                T m = max[o * inner + i];
                for (int k = 0; k < length; k++)
                {
                    int at = blockStart + k * inner + i;
                    if (IsSame(x[at], m))
                    {
                        mask[at] = T.One;
                        break;
                    }
                }
            }
        }
    }

    // Equal under the IEEE maximum's order: NaN matches NaN, and −0 is not +0.
    private static bool IsSame<T>(T value, T max) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsNaN(max) ? T.IsNaN(value) : value == max && T.IsNegative(value) == T.IsNegative(max);
}
