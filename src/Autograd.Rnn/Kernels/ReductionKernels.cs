using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>Sums that undo broadcasting: reduce a tensor to a shape it could have been broadcast from.</summary>
internal static class ReductionKernels
{
    /// <summary>
    /// destination (shape <paramref name="target"/>) = the sum of <paramref name="x"/> (shape <paramref name="xShape"/>)
    /// over every axis where the target, aligned from the right, has size 1 and x does not.
    /// </summary>
    public static void SumTo<T>(ReadOnlySpan<T> x, Shape xShape, Span<T> destination, Shape target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        destination.Clear();
        if (xShape.Size == 0) return;
        if (xShape == target) { x.CopyTo(destination); return; }
        if (target.Size == 1) { destination[0] = TensorPrimitives.Sum(x); return; }

        int rank = xShape.Rank;
        var xDims = xShape.Span;
        // Three small per-axis arrays, on the stack: this runs for every bias gradient of a training step.
        Span<int> workspace = rank <= 8 ? stackalloc int[3 * 8] : new int[3 * rank];
        var td = workspace[..rank];
        Broadcasting.Aligned(target, td);

        // The inner run: trailing axes over which the target is either all kept (add rows) or all reduced (add sums).
        int start = rank;
        bool? kept = null;
        while (start > 0)
        {
            int a = start - 1;
            if (xDims[a] == 1) { start--; continue; }
            bool k = td[a] == xDims[a];
            if (kept is bool previous && previous != k) break;
            kept = k;
            start--;
        }
        int inner = xShape.Product(start, rank);
        bool innerKept = kept ?? true;

        var targetStrides = workspace.Slice(rank, rank);
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--)
        {
            targetStrides[a] = td[a] == 1 ? 0 : stride;
            stride *= td[a];
        }

        var index = workspace.Slice(2 * rank, start);
        index.Clear();
        int outer = xShape.Product(0, start);
        int offset = 0;
        for (int o = 0; o < outer; o++)
        {
            var run = x.Slice(o * inner, inner);
            if (innerKept)
            {
                var dest = destination.Slice(offset, inner);
                TensorPrimitives.Add(dest, run, dest);
            }
            else
            {
                destination[offset] += TensorPrimitives.Sum(run);
            }
            for (int a = start - 1; a >= 0; a--)
            {
                index[a]++;
                offset += targetStrides[a];
                if (index[a] < xDims[a]) break;
                offset -= targetStrides[a] * index[a];
                index[a] = 0;
            }
        }
    }
}
