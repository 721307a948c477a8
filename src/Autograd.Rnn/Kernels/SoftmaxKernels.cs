using System.Numerics;

namespace Autograd.Rnn.Kernels;

/// <summary>The per-row shift that keeps softmax's exponentials from overflowing.</summary>
internal static class SoftmaxKernels
{
    /// <summary>
    /// Viewing x as [outer, axis, inner]: destination [outer, inner] = the maximum over the axis, with non-finite
    /// maxima (rows of ±∞ or NaN) replaced by zero so that subtracting the shift never itself makes a NaN.
    /// The axis must be non-empty.
    /// </summary>
    public static void MaxAlongAxis<T>(ReadOnlySpan<T> x, int outer, int axis, int inner, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        MaxKernels.MaxAlong(x, outer, axis, inner, destination);
        for (int i = 0; i < destination.Length; i++)
            if (!T.IsFinite(destination[i])) destination[i] = T.Zero;
    }
}
