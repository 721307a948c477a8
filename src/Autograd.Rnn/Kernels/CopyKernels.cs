namespace Autograd.Rnn.Kernels;

/// <summary>
/// Data movement without arithmetic: strided block copies (narrow, pad, concat) and axis permutations.
/// Every loop copies the longest contiguous run it can with one <see cref="Span{T}.CopyTo"/>.
/// </summary>
internal static class CopyKernels
{
    /// <summary>
    /// For each of <paramref name="blocks"/> rows: copies <paramref name="length"/> elements starting at
    /// <c>row·sourceRowLength + sourceStart</c> of the source to <c>row·destinationRowLength + destinationStart</c>
    /// of the destination. Viewing a tensor as [outer, axis, inner], narrow, pad and concat are each one call.
    /// </summary>
    public static void CopyBlocks<T>(
        ReadOnlySpan<T> source, int sourceRowLength, int sourceStart,
        Span<T> destination, int destinationRowLength, int destinationStart,
        int length, int blocks)
    {
        if (length == 0) return;
        for (int row = 0; row < blocks; row++)
            source.Slice(row * sourceRowLength + sourceStart, length)
                .CopyTo(destination.Slice(row * destinationRowLength + destinationStart, length));
    }

    /// <summary>
    /// destination = x with its axes reordered: output axis a is input axis <paramref name="axes"/>[a].
    /// Trailing axes the permutation leaves in place form one contiguous run, copied as a block.
    /// </summary>
    public static void Permute<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> dimensions, ReadOnlySpan<int> axes, Span<T> destination)
    {
        int rank = dimensions.Length;
        if (x.Length == 0) return;

        Span<int> inputStrides = stackalloc int[rank];
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--)
        {
            inputStrides[a] = stride;
            stride *= dimensions[a];
        }

        // The inner run: trailing output axes that are the same input axes, in order.
        int start = rank;
        while (start > 0 && axes[start - 1] == start - 1) start--;
        int inner = 1;
        for (int a = start; a < rank; a++) inner *= dimensions[a];
        if (start == 0)
        {
            x.CopyTo(destination);
            return;
        }

        // Odometer over the outer output axes, tracking the matching input offset.
        Span<int> outerDims = stackalloc int[start];
        Span<int> outerStrides = stackalloc int[start];
        Span<int> index = stackalloc int[start];
        for (int a = 0; a < start; a++)
        {
            outerDims[a] = dimensions[axes[a]];
            outerStrides[a] = inputStrides[axes[a]];
        }
        int last = start - 1;
        int lastDim = outerDims[last], lastStride = outerStrides[last];
        int outerCount = destination.Length / (inner * lastDim);
        int offset = 0, output = 0;
        for (int o = 0; o < outerCount; o++)
        {
            // The innermost outer axis runs in a tight loop; its input stride is constant.
            if (inner == 1)
            {
                for (int i = 0, s = offset; i < lastDim; i++, s += lastStride) destination[output + i] = x[s];
                output += lastDim;
            }
            else
            {
                for (int i = 0, s = offset; i < lastDim; i++, s += lastStride, output += inner)
                    x.Slice(s, inner).CopyTo(destination.Slice(output, inner));
            }
            for (int a = last - 1; a >= 0; a--)
            {
                index[a]++;
                offset += outerStrides[a];
                if (index[a] < outerDims[a]) break;
                offset -= outerStrides[a] * index[a];
                index[a] = 0;
            }
        }
    }
}
