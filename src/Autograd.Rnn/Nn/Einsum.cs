using System.Numerics;

namespace Autograd.Rnn;

// Einsum is a composition of Sum, Permute, Reshape and one MatMul or BatchMatMul (in whichever of the three product
// forms needs no transpose copy): it has no gradient, JVP or batching rule of its own, because those ops' rules already
// cover it, and a two-operand contraction is exactly one (batched) matrix product, so nothing would be gained.
public static partial class Tensor
{
    /// <summary>
    /// A small Einstein summation over one or two operands, e.g. attention scores
    /// <c>Einsum("bqd,bkd->bqk", queries, keys)</c> ([b,q,d] and [b,k,d] -> [b,q,k]) and the weighted values
    /// <c>Einsum("bqk,bkd->bqd", weights, values)</c>. Each operand's axes are named by lowercase letters, one per axis;
    /// the output's letters follow <c>-></c> (without <c>-></c>, the output is the letters that appear exactly once, in
    /// alphabetical order, as NumPy: <c>"ij,jk"</c> means <c>"ij,jk->ik"</c>). Letters absent from the output are summed:
    /// <c>"ij->ji"</c> transposes, <c>"ij->"</c> sums everything, <c>"i,i->"</c> is a dot product, <c>"i,j->ij"</c> an
    /// outer product, <c>"bij,bjk->bik"</c> a batched matrix product.
    /// </summary>
    /// <remarks>
    /// Two operands are contracted as one matrix product, never as a broadcast product over all letters: letters only
    /// in one operand and not in the output are summed first; then letters in both operands and the output are the batch,
    /// letters in both operands but not the output are contracted, and the rest are each side's free letters; each operand
    /// is permuted (only if its letters are not already in a product form's order) and reshaped to
    /// [batch, free, contracted], and one <see cref="MatMul{T}"/> (no batch letters) or <see cref="BatchMatMul{T}"/>, or
    /// their transposed forms, does the work. The intermediates are at most one permuted copy of each (pre-summed) operand
    /// and, when the output's letters are not in [batch, free of a, free of b] order, one permuted copy of the product;
    /// nothing is ever as large as all letters' sizes multiplied together. Gradients, JVPs and batching (<see cref="Grad.Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/>)
    /// come from those ops. Not supported: three or more operands, a letter repeated within one operand (a diagonal, e.g.
    /// <c>"ii"</c>), ellipsis (<c>...</c>), uppercase letters, and broadcasting of size-1 axes (every letter's size must
    /// agree across operands). Spaces are ignored.
    /// </remarks>
    /// <param name="equation">Letters per operand, separated by commas, optionally <c>-></c> and the output's letters.</param>
    /// <param name="operands">One or two tensors, each of rank equal to its term's length.</param>
    /// <returns>The output, with one axis per output letter, in the output's order (rank 0 for an empty output).</returns>
    /// <exception cref="ArgumentNullException">The equation, the operand array or an operand is null.</exception>
    /// <exception cref="ArgumentException">There are not one or two operands, the equation's terms do not match them in
    /// number or rank, a character is not a lowercase letter, a letter repeats within one operand or within the output, an
    /// output letter is in no operand, or a letter's sizes differ between operands (the message names the letter, both
    /// operands and their shapes).</exception>
    public static Tensor<T> Einsum<T>(string equation, params Tensor<T>[] operands) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Length is < 1 or > 2)
            throw new ArgumentException($"Einsum \"{equation}\": {operands.Length} operands given; this einsum takes one or two.", nameof(operands));
        for (int i = 0; i < operands.Length; i++)
            if (operands[i] is null) throw new ArgumentNullException(nameof(operands), $"Einsum \"{equation}\": operand {i} is null.");
        var parsed = EinsumEquation.Parse(equation, operands.Select(o => o.Shape).ToArray());
        if (operands.Length == 1)
        {
            var reduced = SumAway(new Lettered<T>(operands[0], parsed.Inputs[0]), parsed.Output);
            return Arrange(reduced, parsed.Output).Value;
        }
        return Contract(parsed, new Lettered<T>(operands[0], parsed.Inputs[0]), new Lettered<T>(operands[1], parsed.Inputs[1]));
    }

    /// <summary>A tensor and the letter naming each of its axes.</summary>
    private sealed record Lettered<T>(Tensor<T> Value, string Letters) where T : unmanaged, IFloatingPointIeee754<T>;

    private static Tensor<T> Contract<T>(EinsumEquation equation, Lettered<T> a, Lettered<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string output = equation.Output;
        // A letter only one operand has and the output lacks is summed before the product, so it never widens it.
        a = SumAway(a, output + b.Letters);
        b = SumAway(b, output + a.Letters);
        string batch = Keep(output, c => a.Letters.Contains(c) && b.Letters.Contains(c));
        string contracted = Keep(a.Letters, c => b.Letters.Contains(c) && !output.Contains(c));
        string freeA = Keep(output, c => a.Letters.Contains(c) && !b.Letters.Contains(c));
        string freeB = Keep(output, c => b.Letters.Contains(c) && !a.Letters.Contains(c));

        // Each operand as one of the product forms' layouts: a as [batch, free, contracted] (plain) or
        // [batch, contracted, free] (transposed); b as [batch, contracted, free] (plain) or [batch, free, contracted]
        // (transposed). An operand already in a layout keeps it (no copy); one that must be permuted anyway takes the
        // layout that keeps its last axis last, the cheaper copy. No form transposes both: then a permuted operand gives
        // way, or else b.
        bool aPlain = a.Letters == batch + freeA + contracted, aTransposed = !aPlain && a.Letters == batch + contracted + freeA;
        bool bPlain = b.Letters == batch + contracted + freeB, bTransposed = !bPlain && b.Letters == batch + freeB + contracted;
        bool aMoves = !aPlain && !aTransposed, bMoves = !bPlain && !bTransposed;
        bool transposeA = aTransposed || (aMoves && contracted.Length > 0 && freeA.Contains(a.Letters[^1]));
        bool transposeB = bTransposed || (bMoves && freeB.Length > 0 && contracted.Contains(b.Letters[^1]));
        if (transposeA && transposeB)
        {
            if (aMoves) transposeA = false;
            else transposeB = false;
        }
        var left = Arrange(a, transposeA ? batch + contracted + freeA : batch + freeA + contracted).Value;
        var right = Arrange(b, transposeB ? batch + freeB + contracted : batch + contracted + freeB).Value;

        int m = equation.SizeOf(freeA), k = equation.SizeOf(contracted), n = equation.SizeOf(freeB);
        int[] leftMatrix = transposeA ? [k, m] : [m, k];
        int[] rightMatrix = transposeB ? [n, k] : [k, n];
        Tensor<T> product;
        if (batch.Length == 0)
        {
            left = ToShape(left, leftMatrix);
            right = ToShape(right, rightMatrix);
            product = transposeA ? MatMulTransposeA(left, right) : transposeB ? MatMulTransposeB(left, right) : MatMul(left, right);
        }
        else
        {
            int size = equation.SizeOf(batch);
            left = ToShape(left, [size, .. leftMatrix]);
            right = ToShape(right, [size, .. rightMatrix]);
            product = transposeA ? BatchMatMulTransposeA(left, right)
                : transposeB ? BatchMatMulTransposeB(left, right)
                : BatchMatMul(left, right);
        }
        string letters = batch + freeA + freeB;
        return Arrange(new Lettered<T>(ToShape(product, equation.DimensionsOf(letters)), letters), output).Value;
    }

    // Sums the axes whose letters are not in keep, from the last so the earlier axes keep their positions.
    private static Lettered<T> SumAway<T>(Lettered<T> x, string keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string kept = Keep(x.Letters, c => keep.Contains(c));
        if (kept.Length == x.Letters.Length) return x;
        if (kept.Length == 0) return new(Sum(x.Value), kept);
        var value = x.Value;
        for (int axis = x.Letters.Length - 1; axis >= 0; axis--)
            if (!keep.Contains(x.Letters[axis])) value = Sum(value, axis);
        return new(value, kept);
    }

    // Permutes x's axes into the order of letters (a permutation of x's letters); the identity costs nothing.
    private static Lettered<T> Arrange<T>(Lettered<T> x, string letters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Letters == letters) return x;
        var axes = new int[letters.Length];
        for (int i = 0; i < axes.Length; i++) axes[i] = x.Letters.IndexOf(letters[i]);
        return new(Permute(x.Value, axes), letters);
    }

    private static Tensor<T> ToShape<T>(Tensor<T> x, int[] dimensions) where T : unmanaged, IFloatingPointIeee754<T> =>
        x.Shape.Dimensions.AsSpan().SequenceEqual(dimensions) ? x : x.Reshape(new Shape(dimensions));

    private static string Keep(string letters, Func<char, bool> keep) => string.Concat(letters.Where(keep));
}
