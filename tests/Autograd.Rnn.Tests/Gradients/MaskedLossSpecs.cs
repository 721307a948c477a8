using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// Rows for L1 and the masked regression losses (compositions over Where, Abs and Multiply). L1's inputs come from the
/// Distinct grid with the target shifted by 0.025, so no difference sits at abs's kink.
/// </summary>
public static class MaskedLossSpecs
{
    // prediction and target of one shape, the argument seeds the mask's pattern.
    private static Gen<OpCase> SameShapes { get; } =
        from d in Generators.AnyDims() from pattern in Gen.Choose(0, 1000) select new OpCase([d, d], pattern);

    // prediction and target of one shape, and a mask shape that broadcasts to it (the mask itself is not a parameter).
    private static Gen<OpCase> BroadcastMask { get; } =
        from pair in Generators.BroadcastPair()
        from pattern in Gen.Choose(0, 1000)
        let firstIsFull = Size(pair[0]) > Size(pair[1]) || (Size(pair[0]) == Size(pair[1]) && pair[0].Length >= pair[1].Length)
        let full = firstIsFull ? pair[0] : pair[1]
        let reduced = firstIsFull ? pair[1] : pair[0]
        select new OpCase([full, full, reduced], pattern);

    private static int Size(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    private static Tensor<double> Mask(Shape shape, int pattern)
    {
        var mask = ActivationSpecs.Mask(shape, pattern);
        // At least one counted element, so the mean is defined.
        var values = mask.ToArray();
        values[pattern % values.Length] = 1;
        return shape.Rank == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape.ToArray());
    }

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("L1", typeof(AbsOp), SameShapes, (x, _) => Loss.L1(x[0], x[1] + 0.025), Domain.Distinct),
        new("L1 summed", typeof(AbsOp), SameShapes, (x, _) => Loss.L1(x[0], x[1] + 0.025, Reduction.Sum), Domain.Distinct),
        new("MaskedMse", typeof(WhereOp), SameShapes, (x, p) => Loss.MaskedMse(x[0], x[1], Mask(x[0].Shape, p))),
        new("MaskedMse with a broadcast mask, unreduced", typeof(WhereOp), BroadcastMask,
            (x, p) => Loss.MaskedMse(x[0], x[1], Mask(x[2].Shape, p), Reduction.None) * x[0]),
        new("MaskedL1", typeof(WhereOp), SameShapes, (x, p) => Loss.MaskedL1(x[0], x[1] + 0.025, Mask(x[0].Shape, p)), Domain.Distinct),
    ];
}

/// <summary>What finite differences cannot show: masked positions holding NaN or ∞ reach no value and no gradient.</summary>
public class MaskedLossTests
{
    private static readonly Tensor<double> Prediction = Tensor.FromArray([1.0, double.NaN, 3.0, double.PositiveInfinity], 2, 2);
    private static readonly Tensor<double> Target = Tensor.FromArray([0.5, 2.0, double.NaN, 1.0], 2, 2);
    private static readonly Tensor<double> Mask = Tensor.FromArray([1.0, 0.0, 0.0, 0.0], 2, 2);

    [Fact]
    public void MaskedMse_ignores_nan_and_infinity_at_masked_positions_in_value_and_gradient()
    {
        var p = Params<double>.Empty.Add("prediction", Prediction).Add("target", Target);
        var result = Grad.ValueAndGrad(q => Loss.MaskedMse(q["prediction"], q["target"], Mask), p);
        Assert.Equal(0.25, result.Value.Item);
        Assert.Equal([1.0, 0.0, 0.0, 0.0], result.Gradients["prediction"].ToArray());
        Assert.Equal([-1.0, 0.0, 0.0, 0.0], result.Gradients["target"].ToArray());
    }

    [Fact]
    public void MaskedL1_ignores_nan_and_infinity_at_masked_positions_in_value_and_gradient()
    {
        var p = Params<double>.Empty.Add("prediction", Prediction).Add("target", Target);
        var result = Grad.ValueAndGrad(q => Loss.MaskedL1(q["prediction"], q["target"], Mask, Reduction.Sum), p);
        Assert.Equal(0.5, result.Value.Item);
        Assert.Equal([1.0, 0.0, 0.0, 0.0], result.Gradients["prediction"].ToArray());
        Assert.Equal([-1.0, 0.0, 0.0, 0.0], result.Gradients["target"].ToArray());
    }

    [Fact]
    public void A_nan_prediction_upstream_of_a_masked_position_gives_zero_parameter_gradients()
    {
        // The NaN comes from the parameters' own computation (log of a negative number), not from a constant input.
        var w = Tensor.FromArray([2.0, -1.0], 2);
        var g = Grad.Gradient(v => Loss.MaskedMse(Tensor.Log(v), Tensor.FromArray([0.0, 0.0], 2), Tensor.FromArray([1.0, 0.0], 2)), w);
        Assert.Equal(Math.Log(2.0) / 2.0 * 2.0, g.ToArray()[0], 14);
        Assert.Equal(0.0, g.ToArray()[1]);
    }

    [Fact]
    public void Mean_counts_only_unmasked_elements_and_none_gives_zeros_there()
    {
        var prediction = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var target = Tensor.Zeros<double>(2, 3);
        var rows = Tensor.FromArray([1.0, 0.0], 2, 1); // broadcast over the last axis
        Assert.Equal((1 + 4 + 9) / 3.0, Loss.MaskedMse(prediction, target, rows).Item, 14);
        Assert.Equal(2.0, Loss.MaskedL1(prediction, target, rows).Item, 14);
        Assert.Equal([1.0, 4.0, 9.0, 0.0, 0.0, 0.0], Loss.MaskedMse(prediction, target, rows, Reduction.None).ToArray());
        Assert.Equal(3.5, Loss.L1(prediction, target).Item, 14);
        Assert.Equal(21.0, Loss.L1(prediction, target, Reduction.Sum).Item, 14);
    }

    [Fact]
    public void Masked_losses_reject_bad_masks_and_an_all_masked_mean()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Contains("mask [2]", Assert.Throws<ArgumentException>(() => Loss.MaskedMse(x, x, Tensor.Ones<double>(2))).Message);
        Assert.Contains("masked out", Assert.Throws<ArgumentException>(() => Loss.MaskedL1(x, x, Tensor.Zeros<double>(2, 3))).Message);
        Assert.Equal(0.0, Loss.MaskedMse(x, x, Tensor.Zeros<double>(3), Reduction.Sum).Item);
        Assert.Throws<ArgumentException>(() => Loss.L1(x, Tensor.Zeros<double>(3, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.MaskedMse(x, x, x, (Reduction)7));
    }
}
