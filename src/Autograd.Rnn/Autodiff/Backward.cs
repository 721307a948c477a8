using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The reverse sweep: orders the nodes of one level that the output depends on (iteratively, so graphs of
/// thousands of time steps cannot overflow the stack), then pushes cotangents from the output back to the
/// leaves, summing where a node feeds more than one op.
/// </summary>
internal static class Backward
{
    /// <summary>The cotangents of <paramref name="leaves"/> (zeros where the output does not depend on a leaf).</summary>
    public static Tensor<T>[] Run<T>(Tensor<T> output, Tensor<T> seed, long tag, Tensor<T>[] leaves)
        where T : unmanaged, IFloatingPointIeee754<T> => Run([output], [seed], tag, leaves);

    /// <summary>
    /// The cotangents of <paramref name="leaves"/> given one seed per output (a function with several results, such as a
    /// cell's step returning (h, c)); an output that is not traced at <paramref name="tag"/> is skipped. If
    /// <paramref name="contractions"/> is given, it receives per leaf the factors (left, right) when the leaf's cotangent is
    /// exactly one traced row contraction leftᵀ·right (a weight used once in a product, in a step recorded for a plan), else
    /// null: what a planned unroll needs to sum a weight's gradient over all its steps as one product.
    /// </summary>
    public static Tensor<T>[] Run<T>(Tensor<T>[] outputs, Tensor<T>[] seeds, long tag, Tensor<T>[] leaves,
        (Tensor<T> Left, Tensor<T> Right)?[]? contractions = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sweep = SweepScratch.Begin();
        // With no other level on the thread and constant seeds, every cotangent is a constant that can only leave the sweep
        // as a leaf's gradient, which the sweep copies when it shares scratch: the VJP rules' results may use it.
        bool lend = Grad.Running == 1 && !Grad.AnyVmapRunning && Array.TrueForAll(seeds, seed => !seed.IsTraced);
        var previous = ValueArena.Lend(lend ? sweep : null);
        try
        {
            return Sweep(outputs, seeds, tag, leaves, sweep, contractions);
        }
        finally
        {
            ValueArena.Lend(previous);
            SweepScratch.End(sweep);
        }
    }

    private static Tensor<T>[] Sweep<T>(Tensor<T>[] outputs, Tensor<T>[] seeds, long tag, Tensor<T>[] leaves, SweepScratch.Sweep sweep,
        (Tensor<T> Left, Tensor<T> Right)?[]? contractions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pending = new Dictionary<Node<T>, Cotangent<T>>(ReferenceEqualityComparer.Instance);
        var roots = new List<Node<T>>(outputs.Length);
        for (int o = 0; o < outputs.Length; o++)
        {
            if (outputs[o].Tag != tag) continue;
            roots.Add(outputs[o].Node!);
            Pending(pending, outputs[o]).Add(seeds[o]);
        }
        if (roots.Count > 0)
        {
            var order = TopologicalOrder(roots, tag);
            for (int n = order.Count - 1; n >= 0; n--)
            {
                var node = order[n];
                if (node.IsLeaf || !pending.Remove(node, out var cotangent)) continue;
                var g = cotangent.Total();
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    var input = node.Inputs[i];
                    if (input is null) continue;
                    var target = Pending(pending, input);
                    if (node.Slice is NarrowSlice slice)
                    {
                        target.AddSlice(slice, g);
                        continue;
                    }
                    if (RowContraction(node, g, i) is var (left, right))
                    {
                        target.AddRowContraction(left, right);
                        continue;
                    }
                    Tensor<T> contribution;
                    if (!Anomaly.Active) contribution = node.Vjp!(g, i);
                    else using (Anomaly.InBackwardOf(node, i)) contribution = node.Vjp!(g, i);
                    if (contribution.Shape != input.Shape)
                        throw new InvalidOperationException(
                            $"{node.Operation}: its VJP returned a cotangent of shape {contribution.Shape} for input {i} of shape {input.Shape}.");
                    target.Add(contribution);
                }
            }
        }

        var result = new Tensor<T>[leaves.Length];
        for (int i = 0; i < leaves.Length; i++)
        {
            if (!pending.TryGetValue(leaves[i].Node!, out var cotangent))
            {
                result[i] = Tensor.ZerosLike(leaves[i]);
                continue;
            }
            if (contractions is not null) contractions[i] = cotangent.SoleTracedContraction;
            result[i] = SweepScratch.Detached(sweep, cotangent.Total());
        }
        return result;
    }

    private static (Tensor<T> Left, Tensor<T> Right)? RowContraction<T>(Node<T> node, Tensor<T> g, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (node.RowContraction is null) return null;
        if (!Anomaly.Active) return node.RowContraction(g, i);
        using (Anomaly.InBackwardOf(node, i)) return node.RowContraction(g, i);
    }

    private static Cotangent<T> Pending<T>(Dictionary<Node<T>, Cotangent<T>> pending, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!pending.TryGetValue(input.Node!, out var cotangent))
            pending[input.Node!] = cotangent = new Cotangent<T>(input.Shape, null);
        return cotangent;
    }

    // Post-order depth-first walk with an explicit stack: every node comes after all the nodes it consumes.
    // Several roots share one visited set, so the order stays topological across all of them.
    private static List<Node<T>> TopologicalOrder<T>(List<Node<T>> roots, long tag) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new List<Node<T>>();
        var visited = new HashSet<Node<T>>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node<T> Node, int NextInput)>();
        foreach (var root in roots)
        {
            // Each root's walk runs to completion before the next starts: a root that another root consumes must be
            // ordered before its consumer, which pushing all roots at once would not ensure.
            if (!visited.Add(root)) continue;
            stack.Push((root, 0));
            Walk(stack, visited, order, tag);
        }
        return order;
    }

    private static void Walk<T>(Stack<(Node<T> Node, int NextInput)> stack, HashSet<Node<T>> visited, List<Node<T>> order, long tag)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Length)
            {
                stack.Push((node, next + 1));
                var input = node.Inputs[next];
                if (input is not null && input.Node!.Tag == tag && visited.Add(input.Node))
                    stack.Push((input.Node, 0));
            }
            else
            {
                order.Add(node);
            }
        }
    }

    /// <summary>
    /// The cotangent of one node while the sweep is still adding to it. Whole-shape contributions are summed as they
    /// come. Cotangents of slices of the node (from Narrow, and so from Chunk, Split and Unstack) are kept apart and
    /// joined once with Concat and zero gaps: padding each slice to the full shape and summing would cost
    /// slices × full size — quadratic in the number of time steps for an unrolled sequence. Concat is a public op, so
    /// the result stays differentiable at outer levels.
    /// </summary>
    private sealed class Cotangent<T>(Shape shape, Tensor<T>? dense) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private Tensor<T>? dense = dense;
        private List<(NarrowSlice Slice, Tensor<T> Piece)>? slices;
        private List<(Tensor<T> Left, Tensor<T> Right)>? tracedContractions;
        private T[]? productSum;

        public void Add(Tensor<T> contribution) => dense = dense is null ? contribution : dense + contribution;

        /// <summary>The factors when the whole cotangent is one traced row contraction (read before <see cref="Total"/>).</summary>
        public (Tensor<T> Left, Tensor<T> Right)? SoleTracedContraction =>
            dense is null && slices is null && productSum is null && tracedContractions is [var pair] ? pair : null;

        public void AddSlice(NarrowSlice slice, Tensor<T> piece) => (slices ??= []).Add((slice, piece));

        /// <summary>
        /// Adds leftᵀ·right. When both factors are constants — the backward pass is not itself being differentiated —
        /// the product is accumulated into a buffer that only this cotangent has seen, with the GEMM adding into it:
        /// no per-step result, no stacked copy of the factors. Nobody can observe the buffer until <see cref="Total"/>
        /// hands it out, after which it is never written again. Traced factors take the public-op path, so gradients
        /// of gradients still see every operation.
        /// </summary>
        public void AddRowContraction(Tensor<T> left, Tensor<T> right)
        {
            if (left.IsTraced || right.IsTraced)
            {
                (tracedContractions ??= []).Add((left, right));
                return;
            }
            if (left.Rank != 2 || right.Rank != 2 || shape.Rank != 2 || right.Shape[0] != left.Shape[0]
                || shape[0] != left.Shape[1] || shape[1] != right.Shape[1])
                throw new InvalidOperationException(
                    $"Backward: row-contraction factors {left.Shape} and {right.Shape} do not give the cotangent shape {shape}.");
            int rows = left.Shape[0], m = left.Shape[1], n = right.Shape[1];
            bool first = productSum is null;
            productSum ??= GC.AllocateUninitializedArray<T>(m * n);
            Kernels.Gemm.Multiply(left.Value.Span, right.Value.Span, productSum, m, n, rows, transposeA: true, transposeB: false,
                accumulate: !first);
        }

        public Tensor<T> Total()
        {
            if (productSum is not null)
            {
                var accumulated = new Tensor<T>(new NdArray<T>(productSum, shape));
                Add(Anomaly.Active ? Anomaly.Check("MatMulTransposeA (a weight's gradient summed over its uses)", accumulated, null, []) : accumulated);
                productSum = null;
            }
            if (tracedContractions is not null)
            {
                // One product over all the stacked rows: at every time step a weight's gradient is a thin product
                // (k = batch); summing them one by one would write the whole weight-sized result once per step.
                var pairs = tracedContractions;
                var left = pairs.Count == 1 ? pairs[0].Left : Tensor.Concat(pairs.ConvertAll(c => c.Left).ToArray(), 0);
                var right = pairs.Count == 1 ? pairs[0].Right : Tensor.Concat(pairs.ConvertAll(c => c.Right).ToArray(), 0);
                Add(Tensor.MatMulTransposeA(left, right));
                tracedContractions = null;
            }
            if (slices is not null)
            {
                // Sorted by axis, then position: each axis's slices form one run, and a slice taken twice is adjacent
                // to itself. (No LINQ here: this runs once per sliced node, i.e. once per time step.)
                slices.Sort(static (a, b) => a.Slice.Axis != b.Slice.Axis ? a.Slice.Axis.CompareTo(b.Slice.Axis)
                    : a.Slice.Start != b.Slice.Start ? a.Slice.Start.CompareTo(b.Slice.Start) : a.Slice.Length.CompareTo(b.Slice.Length));
                for (int first = 0; first < slices.Count;)
                {
                    int end = first + 1;
                    while (end < slices.Count && slices[end].Slice.Axis == slices[first].Slice.Axis) end++;
                    Add(Join(slices[first].Slice.Axis, slices, first, end));
                    first = end;
                }
                slices = null;
            }
            return dense ?? Tensor.Zeros<T>(shape.ToArray());
        }

        // Joins slices[first..end) (one axis, sorted by position) into a cotangent of the whole shape.
        private Tensor<T> Join(int axis, List<(NarrowSlice Slice, Tensor<T> Piece)> sorted, int first, int end)
        {
            // The same slice taken twice: its cotangents add.
            var merged = new List<(NarrowSlice Slice, Tensor<T> Piece)>(end - first);
            for (int i = first; i < end; i++)
            {
                if (merged.Count > 0 && merged[^1].Slice == sorted[i].Slice)
                    merged[^1] = (sorted[i].Slice, merged[^1].Piece + sorted[i].Piece);
                else
                    merged.Add(sorted[i]);
            }
            int size = shape.Span[axis];
            for (int i = 1; i < merged.Count; i++)
                if (merged[i].Slice.Start < merged[i - 1].Slice.Start + merged[i - 1].Slice.Length)
                    return PadAndSum(axis, size, merged); // overlapping slices cannot be laid side by side

            if (merged.Count == 1 && merged[0].Slice.Start == 0 && merged[0].Slice.Length == size) return merged[0].Piece;
            if (merged.Count == 1)
            {
                // One slice (an unroll's outputs out of its states, say): one padded copy, no zero blocks to join.
                // In a first-order sweep the padded value comes from the sweep's lent scratch (ValueArena).
                var (slice, piece) = merged[0];
                return PadOp.Apply(piece, axis, slice.Start, size - slice.Start - slice.Length);
            }
            var parts = new List<Tensor<T>>(2 * merged.Count + 1);
            int position = 0;
            foreach (var (slice, piece) in merged)
            {
                if (slice.Start > position) parts.Add(Tensor.Zeros<T>(shape.WithDimension(axis, slice.Start - position).ToArray()));
                parts.Add(piece);
                position = slice.Start + slice.Length;
            }
            if (position < size) parts.Add(Tensor.Zeros<T>(shape.WithDimension(axis, size - position).ToArray()));
            return parts.Count == 1 ? parts[0] : Tensor.Concat(parts.ToArray(), axis);
        }

        private static Tensor<T> PadAndSum(int axis, int size, List<(NarrowSlice Slice, Tensor<T> Piece)> pieces)
        {
            Tensor<T>? sum = null;
            foreach (var (slice, piece) in pieces)
            {
                var padded = PadOp.Apply(piece, axis, slice.Start, size - slice.Start - slice.Length);
                sum = sum is null ? padded : sum + padded;
            }
            return sum!;
        }
    }
}
