using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Ops;

/// <summary>
/// Einsum against a naive loop over every assignment of its letters, on generated sizes (1..4 per letter) and values, in
/// double: values agree to 1e-12 (relative and absolute); gradients agree with central finite differences
/// (GradCheckOptions.Default: step 1e-6, |analytic − numeric| ≤ 1e-6 + 1e-4·|numeric|), as do JVPs; Vmap over it equals
/// one call per example. Every refusal names the equation and what is wrong.
/// </summary>
public class EinsumTests
{
    private const int Cases = 15;

    /// <summary>The equations the properties run: attention's forms, the classic ones, and layouts needing permutes.</summary>
    public static TheoryData<string> Equations() =>
    [
        "bqd,bkd->bqk", "bqk,bkd->bqd", "tbh,sbh->bts", "ij,jk->ik", "ij->ji", "ij->", "bij,bjk->bik", "i,i->", "i,j->ij",
        "ji,jk->ik", "ij,kj->ik", "ji,kj->ik", "ij,jk->ki", "ijk->kj", "ij->j", "ij,jk", "ba", "abc,cd->",
        "ai,bj->ab", "bij,bkj->bki", "xbk,kby->ybx", "abcd,dcbe->ae", "ij,ij->ij", "i,ij->j", "dbq,bkd->bqk", "kbj,jbi->bik",
        "bq,bqd->bd", "ij,->ij",
    ];

    public sealed record EinsumCase(string Equation, Shape[] Shapes, ulong Seed)
    {
        public Tensor<double>[] Operands() =>
            Shapes.Select((s, i) => Tensor.RandomNormal<double>(s.ToArray(), Seed + (ulong)i)).ToArray();

        public override string ToString() => $"{Equation} on {string.Join(" and ", Shapes.Select(s => s.ToString()))}, seed {Seed}";
    }

    // Every letter draws one size, so the operands agree on each letter by construction.
    private static Arbitrary<EinsumCase> CasesOf(string equation)
    {
        var terms = equation.Split("->")[0].Split(',');
        var letters = string.Concat(terms).Distinct().ToArray();
        return (from sizes in Gen.ArrayOf(Gen.Choose(1, 4), letters.Length)
                from seed in Generators.Seed
                select new EinsumCase(equation,
                    terms.Select(t => new Shape(t.Select(c => sizes[Array.IndexOf(letters, c)]).ToArray())).ToArray(), seed))
            .ToArbitrary();
    }

    [Theory]
    [MemberData(nameof(Equations))]
    public void Einsum_equals_the_naive_sum_over_every_letter_assignment(string equation)
    {
        Prop.ForAll(CasesOf(equation), c =>
        {
            var operands = c.Operands();
            var actual = Tensor.Einsum(c.Equation, operands);
            var expected = NaiveEinsum(c.Equation, operands);
            return (actual.Shape == expected.Shape && actual.AllClose(expected, 1e-12, 1e-12))
                .Label($"{c}: expected {expected}, got {actual}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Theory]
    [MemberData(nameof(Equations))]
    public void Einsum_gradient_matches_finite_differences(string equation)
    {
        Prop.ForAll(CasesOf(equation), c =>
        {
            var result = GradCheck.Run(p => Tensor.Einsum(c.Equation, Inputs(p, c)), Parameters(c));
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Theory]
    [InlineData("bqd,bkd->bqk")]
    [InlineData("tbh,sbh->bts")]
    [InlineData("ij,kj->ik")]
    [InlineData("i,j->ij")]
    [InlineData("ijk->kj")]
    public void Einsum_jvp_matches_finite_differences(string equation)
    {
        Prop.ForAll(CasesOf(equation), c =>
        {
            var result = GradCheck.JvpCheck(p => Tensor.Einsum(c.Equation, Inputs(p, c)), Parameters(c));
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5));
    }

    [Fact]
    public void Vmap_over_einsum_equals_one_call_per_example()
    {
        var queries = Tensor.RandomNormal<double>([4, 2, 3, 5], 1);   // [examples, b, q, d]
        var keys = Tensor.RandomNormal<double>([4, 2, 6, 5], 2);      // [examples, b, k, d]
        var batched = Grad.Vmap((q, k) => Tensor.Einsum("bqd,bkd->bqk", q, k), queries, keys);
        Assert.Equal(new Shape(4, 2, 3, 6), batched.Shape);
        for (int e = 0; e < 4; e++)
        {
            var one = Tensor.Einsum("bqd,bkd->bqk", queries.Narrow(0, e, 1).Reshape(2, 3, 5), keys.Narrow(0, e, 1).Reshape(2, 6, 5));
            Assert.True(batched.Narrow(0, e, 1).Reshape(2, 3, 6).AllClose(one, 1e-12, 1e-12));
        }
    }

    [Theory]
    [InlineData("bqd,bkd->bqk", "BatchMatMulTransposeB")]
    [InlineData("bqk,bkd->bqd", "BatchMatMul")]
    [InlineData("ij,jk->ik", "MatMul")]
    public void Attention_forms_are_one_product_without_a_permute_or_a_broadcast(string equation, string product)
    {
        var p = Params.Create("a", Tensor.RandomNormal<double>([2, 3, 4], 1)).Add("b", Tensor.RandomNormal<double>([2, 4, 4], 2));
        if (equation == "ij,jk->ik")
            p = Params.Create("a", Tensor.RandomNormal<double>([3, 4], 1)).Add("b", Tensor.RandomNormal<double>([4, 5], 2));
        else if (equation == "bqd,bkd->bqk")
            p = p.With("b", Tensor.RandomNormal<double>([2, 5, 4], 2));
        string dot = Graph.ToDot(q => Tensor.Einsum(equation, q["a"], q["b"]), p);
        Assert.Contains($"\"{product}", dot);
        Assert.DoesNotContain("Permute", dot);
        Assert.DoesNotContain("BroadcastTo", dot);
        Assert.DoesNotContain("Multiply", dot);
    }

    [Fact]
    public void Tbh_sbh_permutes_each_operand_once_and_multiplies_once()
    {
        var p = Params.Create("a", Tensor.RandomNormal<double>([3, 2, 4], 1)).Add("b", Tensor.RandomNormal<double>([5, 2, 4], 2));
        string dot = Graph.ToDot(q => Tensor.Einsum("tbh,sbh->bts", q["a"], q["b"]), p);
        Assert.Equal(2, Count(dot, "\"Permute"));
        Assert.Equal(1, Count(dot, "\"BatchMatMulTransposeB"));
        Assert.Equal(new Shape(2, 3, 5), Tensor.Einsum("tbh,sbh->bts", p["a"], p["b"]).Shape);
    }

    [Fact]
    public void A_diagonal_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Einsum("ii", Tensor.Zeros<double>(3, 3)));
        Assert.Contains("Einsum \"ii\": letter 'i' repeats in operand 0's term \"ii\"; diagonals are not supported", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Einsum("ii->i", Tensor.Zeros<double>(3, 3)));
    }

    [Fact]
    public void Disagreeing_sizes_name_the_letter_both_operands_and_their_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Tensor.Einsum("bqd,bkd->bqk", Tensor.Zeros<double>(2, 3, 4), Tensor.Zeros<double>(2, 6, 5)));
        Assert.Contains("Einsum \"bqd,bkd->bqk\": letter 'd' has size 4 in operand 0 [2,3,4] but size 5 in operand 1 [2,6,5]", e.Message);
    }

    [Theory]
    [InlineData("ij,jk->ik", 1, "it names 2 operand(s) but 1 were given")]
    [InlineData("ij->ji,k", 1, "',' in the output \"ji,k\" is not a lowercase letter")]
    [InlineData("iJ->i", 1, "'J' in operand 0's term \"iJ\" is not a lowercase letter")]
    [InlineData("...i->i", 1, "'.' in operand 0's term \"...i\" is not a lowercase letter")]
    [InlineData("ijk->i", 1, "operand 0's term \"ijk\" names 3 axes but operand 0 is [2,2] (rank 2)")]
    [InlineData("ij->ii", 1, "letter 'i' repeats in the output \"ii\"")]
    [InlineData("ij->iz", 1, "output letter 'z' appears in no operand")]
    [InlineData("ij->i->j", 1, "it has more than one \"->\"")]
    [InlineData("ij,jk->ik", 2, "")]
    public void Malformed_equations_are_refused_with_the_reason(string equation, int operandCount, string reason)
    {
        var operands = Enumerable.Range(0, operandCount).Select(_ => Tensor.Zeros<double>(2, 2)).ToArray();
        if (reason.Length == 0)
        {
            Assert.Equal(new Shape(2, 2), Tensor.Einsum(equation, operands).Shape); // the control: well-formed passes
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => Tensor.Einsum(equation, operands));
        Assert.Contains($"Einsum \"{equation}\": {reason}", e.Message);
    }

    [Fact]
    public void Operand_counts_other_than_one_or_two_and_nulls_are_refused()
    {
        var x = Tensor.Zeros<double>(2);
        Assert.Contains("0 operands given; this einsum takes one or two",
            Assert.Throws<ArgumentException>(() => Tensor.Einsum<double>("->")).Message);
        Assert.Contains("3 operands given; this einsum takes one or two",
            Assert.Throws<ArgumentException>(() => Tensor.Einsum("i,i,i->", x, x, x)).Message);
        Assert.Throws<ArgumentNullException>(() => Tensor.Einsum(null!, x));
        Assert.Throws<ArgumentNullException>(() => Tensor.Einsum("i", (Tensor<double>[])null!));
        Assert.Contains("operand 1 is null", Assert.Throws<ArgumentNullException>(() => Tensor.Einsum("i,i->", x, null!)).Message);
    }

    [Fact]
    public void Implicit_output_is_the_letters_seen_once_in_alphabetical_order_and_spaces_are_ignored()
    {
        var a = Tensor.RandomNormal<double>([3, 4], 1);
        var b = Tensor.RandomNormal<double>([4, 5], 2);
        Assert.True(Tensor.Einsum("ij,jk", a, b).AllClose(Tensor.MatMul(a, b), 1e-12, 1e-12));
        Assert.True(Tensor.Einsum("ji", a).AllClose(Tensor.Transpose(a), 0, 0));
        Assert.True(Tensor.Einsum(" ij , jk -> ik ", a, b).AllClose(Tensor.MatMul(a, b), 1e-12, 1e-12));
    }

    [Fact]
    public void Zero_sized_contractions_give_zeros()
    {
        var c = Tensor.Einsum("ij,jk->ik", Tensor.Zeros<double>(2, 0), Tensor.Zeros<double>(0, 3));
        Assert.Equal(new Shape(2, 3), c.Shape);
        Assert.All(c.ToArray(), v => Assert.Equal(0.0, v));
    }

    private static Params<double> Parameters(EinsumCase c)
    {
        var operands = c.Operands();
        var p = Params.Create("a", operands[0]);
        return operands.Length == 2 ? p.Add("b", operands[1]) : p;
    }

    private static Tensor<double>[] Inputs(Params<double> p, EinsumCase c) =>
        c.Shapes.Length == 2 ? [p["a"], p["b"]] : [p["a"]];

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>The reference: out[output letters] = Σ over every assignment of all letters of the operands' product.</summary>
    private static Tensor<double> NaiveEinsum(string equation, Tensor<double>[] operands)
    {
        var parts = equation.Split("->");
        var terms = parts[0].Split(',');
        string output = parts.Length == 2 ? parts[1]
            : string.Concat(string.Concat(terms).GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order());
        var letters = string.Concat(terms).Distinct().ToArray();
        var sizes = new int[letters.Length];
        for (int o = 0; o < terms.Length; o++)
            for (int axis = 0; axis < terms[o].Length; axis++)
                sizes[Array.IndexOf(letters, terms[o][axis])] = operands[o].Shape[axis];
        var outShape = output.Select(c => sizes[Array.IndexOf(letters, c)]).ToArray();
        var result = new double[outShape.Aggregate(1, (x, y) => x * y)];
        var values = operands.Select(o => o.ToArray()).ToArray();
        var index = new int[letters.Length];
        int total = sizes.Aggregate(1, (x, y) => x * y);
        for (int flat = 0; flat < total; flat++)
        {
            for (int l = letters.Length - 1, rest = flat; l >= 0; l--) { index[l] = rest % sizes[l]; rest /= sizes[l]; }
            double product = 1;
            for (int o = 0; o < terms.Length; o++) product *= values[o][Offset(terms[o], operands[o].Shape.ToArray())];
            result[Offset(output, outShape)] += product;
        }
        return outShape.Length == 0 ? Tensor.Scalar(result[0]) : Tensor.FromArray(result, outShape);

        int Offset(string term, int[] shape)
        {
            int offset = 0;
            for (int axis = 0; axis < term.Length; axis++) offset = offset * shape[axis] + index[Array.IndexOf(letters, term[axis])];
            return offset;
        }
    }
}
