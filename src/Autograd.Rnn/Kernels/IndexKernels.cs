using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// The position of the maximum (minimum) along one axis of a tensor viewed as [outer, length, inner], in the order of
/// <see cref="TensorPrimitives.IndexOfMax{T}(ReadOnlySpan{T})"/>: the first NaN wins, +0 is above −0, and of equal
/// elements the first is taken.
/// </summary>
internal static class IndexKernels
{
    /// <summary>destination[o·inner + i] = the k of the extremum of x[o, k, i]; <paramref name="length"/> must be at least 1.</summary>
    public static void IndexOfExtremumAlong<T>(ReadOnlySpan<T> x, int outer, int length, int inner, Span<int> destination, bool maximum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * length * inner, length * inner);
            if (inner == 1)
            {
                destination[o] = maximum ? TensorPrimitives.IndexOfMax(block) : TensorPrimitives.IndexOfMin(block);
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                T value = block[i];
                for (int k = 1; k < length && !T.IsNaN(value); k++)
                {
                    T candidate = block[k * inner + i];
                    if (T.IsNaN(candidate) || (maximum ? Above(candidate, value) : Above(value, candidate)))
                    {
                        best = k;
                        value = candidate;
                    }
                }
                destination[o * inner + i] = best;
            }
        }
    }

    // a > b for numbers, with +0 above −0 (NaN is handled by the caller: the first NaN ends the search).
    private static bool Above<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> =>
        a > b || (a == b && T.IsZero(a) && !T.IsNegative(a) && T.IsNegative(b));
}
