using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// Rows for the structural ops (permute, concat, narrow, pad, gather, scatter-add), the compositions built on them
/// (transpose, slice, split, chunk, stack, unstack) and softmax. Several integers an op needs (an axis, a start,
/// a length) are packed into the case's one <see cref="OpCase.Argument"/>; the "second order" rows differentiate a
/// gradient, so they check that each VJP is itself correctly differentiable.
/// </summary>
public static class StructuralSpecs
{
    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Permute", typeof(PermuteOp),
            from rank in Gen.Choose(1, 4) from d in Generators.Dims(rank) from p in Gen.Choose(0, Factorial(rank) - 1)
            select new OpCase([d], p),
            (x, p) => Tensor.Permute(x[0], Permutation(x[0].Rank, p))),
        new("Transpose", typeof(PermuteOp),
            from rank in Gen.Choose(1, 4) from d in Generators.Dims(rank)
            from a0 in Gen.Choose(-rank, rank - 1) from a1 in Gen.Choose(-rank, rank - 1)
            select new OpCase([d], Pack(a0, a1)),
            (x, p) => Tensor.Transpose(x[0], Unpack(p, 0), Unpack(p, 1))),
        new("Transpose 2-D", typeof(PermuteOp), Generators.Dims(2).Select(d => new OpCase([d], 0)), (x, _) => x[0].Transpose()),
        new("Concat", typeof(ConcatOp),
            from rank in Gen.Choose(1, 3) from d in Generators.Dims(rank) from axis in Gen.Choose(-rank, rank - 1)
            from sizes in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Generators.Dimension, n))
            select new OpCase(sizes.Select(s => WithDimension(d, axis, s)).ToArray(), axis),
            (x, axis) => Tensor.Concat(x, axis)),
        new("Narrow", typeof(NarrowOp), NarrowCases, (x, p) => Tensor.Narrow(x[0], Unpack(p, 0), Unpack(p, 1), Unpack(p, 2))),
        new("Pad", typeof(PadOp),
            from rank in Gen.Choose(1, 3) from d in Generators.Dims(rank) from axis in Gen.Choose(-rank, rank - 1)
            from before in Gen.Choose(0, 3) from after in Gen.Choose(0, 3)
            select new OpCase([d], Pack(axis, before, after)),
            (x, p) => Tensor.Pad(x[0], Unpack(p, 0), Unpack(p, 1), Unpack(p, 2))),
        new("Slice", typeof(NarrowOp),
            from rank in Gen.Choose(1, 3) from d in Generators.Dims(rank) from axis in Gen.Choose(-rank, rank - 1)
            from start in Gen.Choose(-7, 7) from end in Gen.Choose(-7, 7)
            select new OpCase([d], Pack(axis, start, end)),
            (x, p) => Tensor.Slice(x[0], Unpack(p, 0), Unpack(p, 1), Unpack(p, 2))),
        new("Split", typeof(NarrowOp), AxisCases(1, 3),
            (x, axis) => Weighted(Tensor.Split(x[0], axis, SplitSizes(x[0].Shape[axis])))),
        new("Chunk", typeof(NarrowOp), AxisCases(1, 3), (x, axis) => Weighted(Tensor.Chunk(x[0], 3, axis))),
        new("Stack", typeof(ConcatOp),
            from rank in Gen.Choose(0, 3) from d in Generators.Dims(rank) from n in Gen.Choose(1, 4)
            from axis in Gen.Choose(-rank - 1, rank)
            select new OpCase(Enumerable.Repeat(d, n).ToArray(), axis),
            (x, axis) => Tensor.Stack(x, axis)),
        new("Unstack", typeof(NarrowOp), AxisCases(1, 3), (x, axis) => Weighted(Tensor.Unstack(x[0], axis))),
        // The backward sweep joins the cotangents of a tensor's slices: here one slice taken twice, slices with a gap
        // between them, overlapping ones (for few rows), and slices along a second axis, all of one tensor.
        new("Slices of one tensor: repeated, gapped, overlapping, two axes", typeof(NarrowOp),
            Generators.Dims(2).Select(d => new OpCase([d], 0)), (x, _) => MixedSlices(x[0])),
        new("GatherRows", typeof(GatherRowsOp), Generators.Dims(2).SelectMany(d => IndexSeed.Select(s => new OpCase([d], s))),
            (x, seed) => Tensor.GatherRows(x[0], Indices(seed, x[0].Shape[0], out _))),
        new("GatherRows with index shape", typeof(GatherRowsOp),
            Generators.Dims(3).SelectMany(d => IndexSeed.Select(s => new OpCase([d], s))),
            (x, seed) => Tensor.GatherRows(x[0], Indices(seed, x[0].Shape[0], out var shape), shape)),
        new("ScatterAddRows", typeof(ScatterAddRowsOp),
            Generators.Dims(2).SelectMany(d => IndexSeed.Select(s => new OpCase([d], s))),
            (x, seed) => Tensor.ScatterAddRows(x[0], IndicesForRows(seed, x[0].Shape[0], out int rows), rows)),
        new("Softmax", typeof(ExpOp), AxisCases(1, 3), (x, axis) => Tensor.Softmax(x[0], axis)),
        new("Softmax near 1000", typeof(ExpOp), AxisCases(1, 2), (x, axis) => Tensor.Softmax(x[0] + 1000.0, axis)),
        new("LogSoftmax", typeof(LogOp), AxisCases(1, 3), (x, axis) => Tensor.LogSoftmax(x[0], axis)),

        // Second order: the outer check differentiates each op's VJP (Narrow <-> Pad, Gather <-> ScatterAdd, ...).
        new("Narrow second order", typeof(PadOp), NarrowCases,
            (x, p) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.Narrow(v, Unpack(p, 0), Unpack(p, 1), Unpack(p, 2)))), x[0])),
        new("Concat second order", typeof(ConcatOp),
            from d in Generators.Dims(2) from e in Generators.Dimension select new OpCase([d, [d[0], e]], 0),
            (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.Concat([v, x[1]], 1)) * Tensor.Concat([x[1], v], 1)), x[0])),
        new("Permute second order", typeof(PermuteOp), Generators.Dims(3).Select(d => new OpCase([d], 0)),
            (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(v.Transpose(0, 2)) * v.Transpose(0, 2)), x[0])),
        new("GatherRows second order", typeof(ScatterAddRowsOp),
            Generators.Dims(2).SelectMany(d => IndexSeed.Select(s => new OpCase([d], s))),
            (x, seed) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.GatherRows(v, Indices(seed, v.Shape[0], out _)))), x[0])),
        new("Softmax second order", typeof(ExpOp), AxisCases(1, 2),
            (x, axis) => Grad.Gradient(v => Tensor.Sum(Tensor.Softmax(v, axis) * Tensor.Tanh(v)), x[0])),
        new("LogSoftmax second order", typeof(LogOp), AxisCases(1, 2),
            (x, axis) => Grad.Gradient(v => Tensor.Sum(Tensor.LogSoftmax(v, axis) * Tensor.Tanh(v)), x[0])),
    ];

    private static Gen<OpCase> NarrowCases { get; } =
        from rank in Gen.Choose(1, 3) from d in Generators.Dims(rank) from axis in Gen.Choose(-rank, rank - 1)
        let size = d[axis < 0 ? axis + rank : axis]
        from start in Gen.Choose(0, size - 1) from length in Gen.Choose(1, size - start)
        select new OpCase([d], Pack(axis, start, length));

    private static Gen<int> IndexSeed { get; } = Gen.Choose(0, 1_000_000);

    /// <summary>One tensor of rank minRank..maxRank and an axis in [−rank, rank).</summary>
    private static Gen<OpCase> AxisCases(int minRank, int maxRank) =>
        from rank in Gen.Choose(minRank, maxRank) from d in Generators.Dims(rank) from axis in Gen.Choose(-rank, rank - 1)
        select new OpCase([d], axis);

    private static Tensor<double> MixedSlices(Tensor<double> x)
    {
        int rows = x.Shape[0], columns = x.Shape[1], band = Math.Min(2, rows);
        var top = Tensor.Narrow(x, 0, 0, 1);
        var topAgain = Tensor.Narrow(x, 0, 0, 1);
        var bottom = Tensor.Narrow(x, 0, rows - band, band);
        var firstColumn = Tensor.Narrow(x, 1, 0, 1);
        var lastColumn = Tensor.Narrow(x, 1, columns - 1, 1);
        return Tensor.Sum(top * topAgain) + Tensor.Sum(Tensor.Tanh(bottom)) * 1.5 + Tensor.Sum(top) * 0.25
            + Tensor.Sum(firstColumn * firstColumn * 0.5) - Tensor.Sum(lastColumn) * 2.0;
    }

    // A different weight per piece, so a VJP that sends a piece's cotangent to the wrong place is seen.
    private static Tensor<double> Weighted(Tensor<double>[] pieces)
    {
        var total = Tensor.Scalar(0.0);
        for (int k = 0; k < pieces.Length; k++) total += Tensor.Sum(pieces[k] * pieces[k]) * (k + 1.0) + Tensor.Sum(pieces[k]) * (k - 0.5);
        return total;
    }

    // Uneven pieces adding up to n, including an empty one.
    private static int[] SplitSizes(int n) => n == 1 ? [0, 1] : [n / 2, 0, n - n / 2];

    // 1..8 indices in [0, rows), repeats likely; the shape is [2, n/2] when n is even, else [n, 1].
    private static int[] Indices(int seed, int rows, out int[] shape)
    {
        var random = new Random(seed);
        var indices = new int[random.Next(1, 9)];
        for (int i = 0; i < indices.Length; i++) indices[i] = random.Next(rows);
        shape = indices.Length % 2 == 0 ? [2, indices.Length / 2] : [indices.Length, 1];
        return indices;
    }

    // n indices into a table of 1..6 rows.
    private static int[] IndicesForRows(int seed, int n, out int rows)
    {
        var random = new Random(seed);
        rows = random.Next(1, 7);
        var indices = new int[n];
        for (int i = 0; i < n; i++) indices[i] = random.Next(rows);
        return indices;
    }

    private static int[] WithDimension(int[] dims, int axis, int size)
    {
        var d = (int[])dims.Clone();
        d[axis < 0 ? axis + d.Length : axis] = size;
        return d;
    }

    // Packs small integers in [−16, 16) into one, 5 bits each.
    private static int Pack(params int[] parts)
    {
        int packed = 0;
        for (int i = parts.Length - 1; i >= 0; i--) packed = packed * 32 + parts[i] + 16;
        return packed;
    }

    private static int Unpack(int packed, int position)
    {
        for (int i = 0; i < position; i++) packed /= 32;
        return packed % 32 - 16;
    }

    private static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    // The p-th permutation of 0..rank−1 (factorial number system).
    private static int[] Permutation(int rank, int p)
    {
        var remaining = Enumerable.Range(0, rank).ToList();
        var axes = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int f = Factorial(rank - 1 - i);
            axes[i] = remaining[p / f];
            remaining.RemoveAt(p / f);
            p %= f;
        }
        return axes;
    }
}

/// <summary>Second derivatives through the structural ops, with the public Hessian-vector check.</summary>
public class StructuralSecondOrderTests
{
    [Fact]
    public void Hessian_vector_products_through_narrow_pad_concat_and_softmax_match_finite_differences()
    {
        var x = Values.Draw([3, 5], Domain.Any, 11);
        var result = GradCheck.GradGradCheck(v =>
        {
            var left = Tensor.Narrow(v, 1, 1, 3);
            var joined = Tensor.Concat([Tensor.Pad(left, 1, 1, 0), Tensor.Softmax(v, 0)], 1); // [3, 9]
            return Tensor.Sum(Tensor.Tanh(joined.Transpose()) * joined.Transpose());
        }, x);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Hessian_vector_products_through_an_embedding_lookup_match_finite_differences()
    {
        var table = Values.Draw([4, 3], Domain.Any, 5);
        int[] indices = [0, 2, 2, 3, 0, 1];
        var result = GradCheck.GradGradCheck(t =>
            Tensor.Sum(Tensor.LogSoftmax(Tensor.GatherRows(t, indices, [2, 3]) * 2.0)), table);
        Assert.True(result.Passed, result.ToString());
    }
}
