using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Nn;

/// <summary>Losses: cross-entropy, negative log-likelihood and mean squared error, by hand and by their gradients.</summary>
public class LossTests
{
    // −log softmax(row)[target], computed by hand with the max-shift.
    private static double HandCrossEntropy(double[] row, int target)
    {
        double max = row.Max();
        double logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
        return logSum - row[target];
    }

    private static double[] Row(Tensor<double> logits, int r)
    {
        int classes = logits.Shape[-1];
        return logits.ToArray().AsSpan(r * classes, classes).ToArray();
    }

    [Fact]
    public void CrossEntropy_is_minus_log_softmax_at_the_target_averaged_over_rows()
    {
        var logits = Tensor.FromArray(new[] { 1.0, 2.0, 3.0, -1.0, 0.5, 0.0 }, 2, 3);
        int[] targets = [2, 0];
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double row1 = Math.Log(Math.Exp(-1) + Math.Exp(0.5) + Math.Exp(0)) + 1;
        Assert.Equal((row0 + row1) / 2, Loss.CrossEntropy(logits, targets).Item, 1e-14);
        Assert.Equal(row0 + row1, Loss.CrossEntropy(logits, targets, Reduction.Sum).Item, 1e-14);
        var none = Loss.CrossEntropy(logits, targets, Reduction.None);
        Assert.Equal(new Shape(2), none.Shape);
        Assert.Equal(row0, none[0], 1e-14);
        Assert.Equal(row1, none[1], 1e-14);
        Assert.Equal(Shape.Scalar, Loss.CrossEntropy(logits, targets).Shape);
    }

    [Fact]
    public void CrossEntropy_of_rank_three_logits_treats_every_time_and_batch_position_as_a_row()
    {
        var logits = Tensor.RandomNormal<double>([3, 2, 4], seed: 21); // [time, batch, classes]
        int[] targets = [0, 3, 1, 1, 2, 0];
        var none = Loss.CrossEntropy(logits, targets, Reduction.None);
        Assert.Equal(new Shape(3, 2), none.Shape);
        double sum = 0;
        for (int r = 0; r < 6; r++)
        {
            double expected = HandCrossEntropy(Row(logits, r), targets[r]);
            Assert.Equal(expected, none[r / 2, r % 2], 1e-13);
            sum += expected;
        }
        Assert.Equal(sum, Loss.CrossEntropy(logits, targets, Reduction.Sum).Item, 1e-13);
        Assert.Equal(sum / 6, Loss.CrossEntropy(logits, targets).Item, 1e-13);
    }

    [Fact]
    public void CrossEntropy_of_a_single_vector_of_logits_is_a_scalar()
    {
        var logits = Tensor.FromArray(new[] { 0.5, -0.5, 2.0 }, 3);
        double expected = HandCrossEntropy([0.5, -0.5, 2.0], 1);
        Assert.Equal(expected, Loss.CrossEntropy(logits, [1]).Item, 1e-14);
        var none = Loss.CrossEntropy(logits, [1], Reduction.None);
        Assert.Equal(Shape.Scalar, none.Shape);
        Assert.Equal(expected, none.Item, 1e-14);
    }

    [Fact]
    public void Ignored_and_masked_rows_are_left_out_of_the_sum_and_of_the_means_count()
    {
        var logits = Tensor.RandomNormal<double>([4, 3], seed: 5);
        double[] perRow = [.. Enumerable.Range(0, 4).Select(r => HandCrossEntropy(Row(logits, r), r % 3))];

        // Row 1 ignored by the default ignore index, row 3 by a custom one.
        Assert.Equal((perRow[0] + perRow[2] + perRow[3]) / 3, Loss.CrossEntropy(logits, [0, Loss.DefaultIgnoreIndex, 2, 0]).Item, 1e-14);
        Assert.Equal((perRow[0] + perRow[1] + perRow[2]) / 3, Loss.CrossEntropy(logits, [0, 1, 2, -1], ignoreIndex: -1).Item, 1e-14);
        Assert.Equal(perRow[0] + perRow[2], Loss.CrossEntropy(logits, [0, -100, 2, -100], Reduction.Sum).Item, 1e-14);

        // A mask does the same; masked rows may hold any target, even one out of range (padding).
        bool[] mask = [true, false, true, false];
        Assert.Equal((perRow[0] + perRow[2]) / 2, Loss.CrossEntropy(logits, [0, 1, 2, 0], mask: mask).Item, 1e-14);
        Assert.Equal((perRow[0] + perRow[2]) / 2, Loss.CrossEntropy(logits, [0, 99, 2, -7], mask: mask).Item, 1e-14);

        var none = Loss.CrossEntropy(logits, [0, 1, -100, 0], Reduction.None, mask: [true, false, true, true]);
        Assert.Equal(new Shape(4), none.Shape);
        Assert.Equal(perRow[0], none[0], 1e-14);
        Assert.Equal(perRow[3], none[3], 1e-14);
        Assert.Equal(0.0, none[1]);
        Assert.Equal(0.0, none[2]);

        // Left-out rows receive no gradient.
        var gradient = Grad.Gradient(l => Loss.CrossEntropy(l, [0, -100, 2, 0], mask: [true, true, true, false]), logits).ToArray();
        Assert.All(gradient.Skip(3).Take(3).Concat(gradient.Skip(9)), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Masked_out_rows_with_non_finite_logits_do_not_poison_the_loss_or_its_gradient()
    {
        var logits = Tensor.FromArray(new[] { 1.0, 2.0, double.NaN, double.PositiveInfinity }, 2, 2);
        var result = Grad.ValueAndGrad(l => Loss.CrossEntropy(l, [1, 0], mask: [true, false]), logits);
        Assert.Equal(HandCrossEntropy([1.0, 2.0], 1), result.Value.Item, 1e-14);
        Assert.All(result.Gradient.ToArray().Take(2), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void A_mean_over_no_counted_rows_is_refused_with_a_clear_message()
    {
        var logits = Tensor.RandomNormal<double>([2, 3], seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [-100, -100]));
        Assert.Contains("CrossEntropy", error.Message);
        Assert.Contains("every row is ignored or masked out", error.Message);
        error = Assert.Throws<ArgumentException>(() => Loss.Nll(logits, [0, 1], mask: [false, false]));
        Assert.Contains("Nll", error.Message);
        Assert.Contains("mean is undefined", error.Message);
        // A sum over no rows is simply zero.
        Assert.Equal(0.0, Loss.CrossEntropy(logits, [-100, -100], Reduction.Sum).Item);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-2)]
    public void A_target_out_of_range_is_refused_naming_its_row_and_value(int target)
    {
        var logits = Tensor.RandomNormal<double>([3, 3], seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 2, target]));
        Assert.Contains($"target {target}", error.Message);
        Assert.Contains("row 2", error.Message);
        Assert.Contains("[0, 3)", error.Message);
    }

    [Fact]
    public void Targets_or_mask_of_the_wrong_length_and_scalar_logits_are_refused()
    {
        var logits = Tensor.RandomNormal<double>([2, 3, 4], seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 1, 2]));
        Assert.Contains("3 targets for 6 rows of [2,3,4]", error.Message);
        error = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 1, 2, 3, 0, 1], mask: [true]));
        Assert.Contains("mask has 1 entries for 6 rows", error.Message);
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Scalar(1.0), [0]));
        Assert.Throws<ArgumentException>(() => Loss.Nll(Tensor.Scalar(1.0), [0]));
    }

    [Fact]
    public void Nll_of_log_softmax_equals_cross_entropy()
    {
        var logits = Tensor.RandomNormal<double>([2, 3, 5], seed: 8);
        int[] targets = [4, 0, -100, 2, 1, 3];
        bool[] mask = [true, true, true, true, false, true];
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
            Assert.True(Loss.Nll(Tensor.LogSoftmax(logits), targets, reduction, mask: mask)
                .AllClose(Loss.CrossEntropy(logits, targets, reduction, mask: mask), 0, 1e-15), reduction.ToString());
    }

    [Fact]
    public void Nll_is_minus_the_picked_log_probability_even_when_other_classes_have_probability_zero()
    {
        var logProbabilities = Tensor.FromArray(new[] { Math.Log(0.25), Math.Log(0.75), double.NegativeInfinity, 0.0 }, 2, 2);
        var result = Grad.ValueAndGrad(l => Loss.Nll(l, [1, 1], Reduction.Sum), logProbabilities);
        Assert.Equal(-Math.Log(0.75), result.Value.Item, 1e-15);
        Assert.Equal([0.0, -1.0, 0.0, -1.0], result.Gradient.ToArray());
        // Likewise a logit masked with −∞ (a forbidden class) leaves cross-entropy finite.
        var logits = Tensor.FromArray(new[] { 0.0, double.NegativeInfinity, 1.0 }, 1, 3);
        Assert.Equal(HandCrossEntropy([0.0, -1e300, 1.0], 2), Loss.CrossEntropy(logits, [2]).Item, 1e-15);
    }

    [Fact]
    public void CrossEntropy_is_stable_for_logits_of_plus_and_minus_a_thousand()
    {
        var logits = Tensor.FromArray(new[] { 1000.0, -1000.0, 0.0, -1000.0, 1000.0, 1000.0 }, 2, 3);
        var perRow = Loss.CrossEntropy(logits, [1, 2], Reduction.None);
        Assert.Equal(2000.0, perRow[0], 1e-9);       // log(e^1000 + …) − (−1000)
        Assert.Equal(Math.Log(2), perRow[1], 1e-12); // two tied maxima
        // The gradient is softmax − one-hot, finite.
        var gradient = Grad.Gradient(l => Loss.CrossEntropy(l, [1, 2], Reduction.Sum), logits);
        Assert.True(gradient.AllClose(Tensor.FromArray(new[] { 1.0, -1.0, 0.0, 0.0, 0.5, -0.5 }, 2, 3), 0, 1e-15), gradient.ToString());
        var floatLoss = Loss.CrossEntropy(Tensor.FromArray(new[] { 1000f, -1000f, 0f }, 1, 3), [0]).Item;
        Assert.Equal(0f, floatLoss);
    }

    [Fact]
    public void Mse_is_the_mean_or_sum_of_squared_differences()
    {
        var prediction = Tensor.FromArray(new[] { 1.0, 2.0, 3.0, 4.0 }, 2, 2);
        var target = Tensor.FromArray(new[] { 0.5, 2.0, 5.0, 1.0 }, 2, 2);
        Assert.Equal((0.25 + 0 + 4 + 9) / 4, Loss.Mse(prediction, target).Item, 1e-15);
        Assert.Equal(0.25 + 0 + 4 + 9, Loss.Mse(prediction, target, Reduction.Sum).Item, 1e-15);
        var none = Loss.Mse(prediction, target, Reduction.None);
        Assert.Equal(new Shape(2, 2), none.Shape);
        Assert.Equal([0.25, 0.0, 4.0, 9.0], none.ToArray());
    }

    [Fact]
    public void Mse_refuses_different_shapes_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Loss.Mse(Tensor.Zeros<double>(2, 3), Tensor.Zeros<double>(3, 2)));
        Assert.Contains("Mse", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Contains("[3,2]", error.Message);
        // Broadcasting is not silently applied: [2,3] against [3] is an error too.
        Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros<double>(2, 3), Tensor.Zeros<double>(3)));
    }

    // ---- gradient properties ----

    public sealed record ClassificationCase(int[] Leading, int Classes, int[] Targets, bool[]? Mask, Reduction Reduction, ulong Seed)
    {
        public override string ToString() =>
            $"logits [{string.Join(",", Leading.Append(Classes))}], targets [{string.Join(",", Targets)}], " +
            $"mask {(Mask is null ? "none" : string.Join("", Mask.Select(m => m ? '1' : '0')))}, {Reduction}, seed {Seed}";
    }

    // Rank 1..3 logits; some targets ignored (−100), sometimes a mask; row 0 always counted so the mean is defined.
    private static Arbitrary<ClassificationCase> Classifications { get; } =
        (from rank in Gen.Choose(0, 2)
         from leading in Generators.Dims(rank)
         from classes in Generators.Dimension
         let rows = leading.Aggregate(1, (a, b) => a * b)
         from targets in Gen.ArrayOf(Gen.Frequency((4, Gen.Choose(0, classes - 1)), (1, Gen.Constant(Loss.DefaultIgnoreIndex))), rows)
         from useMask in Gen.Elements(true, false)
         from mask in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))), rows)
         from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum, Reduction.None)
         from seed in Generators.Seed
         select new ClassificationCase(leading, classes,
             [targets[0] < 0 ? 0 : targets[0], .. targets.Skip(1)],
             useMask ? [true, .. mask.Skip(1)] : null, reduction, seed)).ToArbitrary();

    private const int Cases = 30;

    [Fact]
    public void CrossEntropy_gradient_matches_finite_differences()
    {
        Prop.ForAll(Classifications, c =>
        {
            var logits = Tensor.RandomNormal<double>([.. c.Leading, c.Classes], c.Seed, 0, 2);
            var result = GradCheck.Run(l => Loss.CrossEntropy(l, c.Targets, c.Reduction, mask: c.Mask), logits);
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Fact]
    public void Nll_gradient_matches_finite_differences()
    {
        Prop.ForAll(Classifications, c =>
        {
            var logProbabilities = Tensor.LogSoftmax(Tensor.RandomNormal<double>([.. c.Leading, c.Classes], c.Seed));
            var result = GradCheck.Run(l => Loss.Nll(l, c.Targets, c.Reduction, mask: c.Mask), logProbabilities);
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    [Fact]
    public void Mse_gradient_matches_finite_differences_in_prediction_and_target()
    {
        var cases = (from shape in Generators.AnyDims(3)
                     from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum, Reduction.None)
                     from seed in Generators.Seed
                     select (shape, reduction, seed)).ToArbitrary();
        Prop.ForAll(cases, c =>
        {
            var (shape, reduction, seed) = c;
            var p = Params<double>.Empty
                .Add("prediction", Values.Draw(shape, Domain.Any, seed))
                .Add("target", Values.Draw(shape, Domain.Any, seed + 1));
            var result = GradCheck.Run(q => Loss.Mse(q["prediction"], q["target"], reduction), p);
            return result.Passed.Label($"[{string.Join(",", shape)}], {reduction}, seed {seed}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }
}
