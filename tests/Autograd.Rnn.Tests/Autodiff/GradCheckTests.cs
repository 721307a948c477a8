namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>GradCheck itself: which mode it uses, what it reports, and that it can fail.</summary>
public class GradCheckTests
{
    private static readonly Tensor<double> Small = Tensor.RandomNormal<double>([3, 4], 1);
    private static readonly Tensor<double> Large = Tensor.RandomNormal<double>([20, 15], 2);

    // Identity whose VJP drops the cotangent of one entry: the gradient is wrong exactly there.
    private static Func<Tensor<double>, Tensor<double>> WrongAt(int flatIndex) => x =>
    {
        var mask = Enumerable.Repeat(1.0, x.Size).ToArray();
        mask[flatIndex] = 0.0;
        var m = Tensor.FromArray(mask, x.Shape.ToArray());
        Tensor<double> Op(Tensor<double> v) => Trace.Unary("DropsOneEntry", v, a => a, Op, (_, _, g) => g * m, (_, _, t) => t * m, (x, axis) => new(Op(x), axis));
        return Op(x);
    };

    [Fact]
    public void Parameters_up_to_the_limit_are_checked_entry_by_entry()
    {
        var p = Params<double>.Empty.Add("w", Small).Add("b", Tensor.RandomNormal<double>([4], 3));
        var result = GradCheck.Run(q => Tensor.Sum(Tensor.Tanh(q["w"] * q["b"])), p);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(12 + 4, result.Checked);
        Assert.Equal(-1, result.Worst!.Direction);
        Assert.NotEmpty(result.Worst.Index);
    }

    [Fact]
    public void Parameters_over_the_limit_are_checked_along_random_directions()
    {
        var p = Params<double>.Empty.Add("big", Large).Add("small", Tensor.RandomNormal<double>([15], 4));
        var result = GradCheck.Run(q => Tensor.Sum(Tensor.Tanh(q["big"] * q["small"])), p);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(GradCheckOptions.Default.Directions + 15, result.Checked);

        var limited = GradCheck.Run(q => Tensor.Sum(Tensor.Tanh(q["big"] * q["small"])), p,
            GradCheckOptions.Default.WithMaxEntriesPerParameter(10) with { Directions = 3 });
        Assert.True(limited.Passed, limited.ToString());
        Assert.Equal(3 + 3, limited.Checked);
    }

    [Fact]
    public void The_limit_is_inclusive()
    {
        var exact = GradCheck.Run(x => Tensor.Sum(Tensor.Exp(x)), Small, GradCheckOptions.Default.WithMaxEntriesPerParameter(12));
        Assert.Equal(12, exact.Checked);
        var below = GradCheck.Run(x => Tensor.Sum(Tensor.Exp(x)), Small, GradCheckOptions.Default.WithMaxEntriesPerParameter(11));
        Assert.Equal(GradCheckOptions.Default.Directions, below.Checked);
    }

    [Fact]
    public void A_wrong_entry_is_reported_by_parameter_and_index()
    {
        var p = Params<double>.Empty.Add("b", Tensor.RandomNormal<double>([4], 5)).Add("w", Small);
        var wrong = WrongAt(6); // [1,2] in a [3,4] tensor
        var result = GradCheck.Run(q => Tensor.Sum(Tensor.Exp(wrong(q["w"]))) + Tensor.Sum(q["b"] * q["b"]), p);
        Assert.False(result.Passed);
        Assert.Equal(1, result.Failed);
        Assert.Equal(16, result.Checked);
        Assert.Equal("w", result.Worst!.Parameter);
        Assert.Equal(new[] { 1, 2 }, result.Worst.Index);
        Assert.Equal("w[1,2]", result.Worst.Location);
        Assert.Equal(0.0, result.Worst.Analytic);
        Assert.Equal(Math.Exp(Small[1, 2]), result.Worst.Numeric, 1e-6);
        Assert.StartsWith("FAILED: 15 of 16", result.ToString());
        Assert.Contains("w[1,2]", result.ToString());
        var error = Assert.Throws<GradCheckException>(() => result.ThrowIfFailed());
        Assert.Contains("w[1,2]", error.Message);
        Assert.Same(result, error.Result);
    }

    [Fact]
    public void A_wrong_entry_of_a_large_parameter_is_caught_along_a_random_direction()
    {
        var result = GradCheck.Run(x => Tensor.Sum(Tensor.Exp(WrongAt(37)(x))), Large);
        Assert.False(result.Passed);
        Assert.Equal("input", result.Worst!.Parameter);
        Assert.True(result.Worst.Direction >= 0);
        Assert.Empty(result.Worst.Index);
        Assert.StartsWith("input along random direction", result.Worst.Location);
    }

    [Fact]
    public void Float_functions_are_checked_with_the_single_precision_options_by_default()
    {
        var x = Tensor.RandomNormal<float>([3, 5], 6);
        var w = Tensor.RandomNormal<float>([5, 2], 7);
        var result = GradCheck.Run(v => Tensor.Sum(Tensor.Tanh(v.MatMul(w))), x);
        Assert.Same(GradCheckOptions.ForSingle, result.Options);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(15, result.Checked);
        Assert.Same(GradCheckOptions.Default, GradCheck.Run(v => Tensor.Sum(v), Small).Options);
    }

    [Fact]
    public void Double_options_are_too_tight_for_float_rounding()
    {
        // With h = 1e-6 in float, x ± h rounds to x for |x| ≳ 8 and the difference quotient is noise: ForSingle exists for this.
        var x = Tensor.FromArray(new[] { 9.5f, -12.25f, 30f });
        var result = GradCheck.Run(v => Tensor.Sum(v * v), x, GradCheckOptions.Default);
        Assert.False(result.Passed);
        Assert.True(GradCheck.Run(v => Tensor.Sum(v * v), x).Passed);
    }

    [Fact]
    public void Non_scalar_functions_are_checked_through_a_random_cotangent()
    {
        var result = GradCheck.Run(x => Tensor.Tanh(x) * Tensor.Exp(x), Small);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(12, result.Checked);
        // A wrong VJP for a non-scalar function is still caught: the random cotangent weights every output.
        Assert.False(GradCheck.Run(WrongAt(0), Small).Passed);
        Assert.False(GradCheck.Run(WrongAt(11), Small).Passed);
    }

    [Fact]
    public void The_same_seed_gives_the_same_report()
    {
        var a = GradCheck.Run(x => Tensor.Tanh(x), Large);
        var b = GradCheck.Run(x => Tensor.Tanh(x), Large);
        Assert.Equal(a.ToString(), b.ToString());
    }

    [Fact]
    public void Exact_agreement_passes_even_with_zero_tolerance()
    {
        // x ↦ Σ 2x: central differences of a linear function with an exactly representable step are exact.
        var x = Tensor.FromArray(new[] { 0.5, 1.0, -2.0 });
        var options = GradCheckOptions.Default.WithTolerances(0, 0).WithStep(0.25);
        var result = GradCheck.Run(v => Tensor.Sum(v * 2.0), x, options);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void An_empty_parameter_collection_passes_with_nothing_checked()
    {
        var result = GradCheck.Run(_ => Tensor.Scalar(1.0), Params<double>.Empty);
        Assert.True(result.Passed);
        Assert.Equal(0, result.Checked);
        Assert.Null(result.Worst);
    }

    [Fact]
    public void Entry_errors_are_absolute_and_relative_to_the_numeric_value()
    {
        var entry = new GradCheckEntry("w", [0], -1, Analytic: 1.1, Numeric: 1.0);
        Assert.Equal(0.1, entry.AbsoluteError, 1e-15);
        Assert.Equal(0.1, entry.RelativeError, 1e-15);
        Assert.Equal(0.0, new GradCheckEntry("w", [0], -1, 0, 0).RelativeError);
        Assert.Equal(double.PositiveInfinity, new GradCheckEntry("w", [0], -1, 1, 0).RelativeError);
    }
}
