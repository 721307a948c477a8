namespace Autograd.Rnn.Tests.Training;

/// <summary>Gradient clipping: the norm reported is the one before clipping; clipping by norm keeps the direction.</summary>
public class ClipTests
{
    private static Params<double> Gradients() => Params<double>.Empty
        .Add("a", Tensor.FromArray([3.0, 0.0], 2))
        .Add("b", Tensor.FromArray([4.0, 12.0], 1, 2));   // global norm √(9 + 16 + 144) = 13

    [Fact]
    public void Global_norm_is_the_root_of_the_sum_of_all_squares() =>
        Assert.Equal(13.0, Clip.GlobalNorm(Gradients()), 1e-14);

    [Fact]
    public void Above_the_maximum_the_norm_becomes_the_maximum_and_the_direction_is_kept()
    {
        var result = Clip.ByGlobalNorm(Gradients(), maxNorm: 6.5);
        Assert.Equal(13.0, result.Norm, 1e-14);
        Assert.Equal(6.5, Clip.GlobalNorm(result.Gradients), 1e-6);
        double scale = 6.5 / (13.0 + 1e-6);   // torch's clip_coef
        Assert.Equal([3.0 * scale, 0.0], result.Gradients["a"].ToArray());
        Assert.Equal([4.0 * scale, 12.0 * scale], result.Gradients["b"].ToArray());
    }

    [Fact]
    public void Below_the_maximum_the_gradients_are_unchanged()
    {
        var gradients = Gradients();
        var result = Clip.ByGlobalNorm(gradients, maxNorm: 20);
        Assert.Equal(13.0, result.Norm, 1e-14);
        Assert.Same(gradients, result.Gradients);
    }

    [Fact]
    public void Clipping_by_value_clamps_every_element_and_reports_the_norm_before()
    {
        var result = Clip.ByValue(Gradients(), limit: 3.5);
        Assert.Equal(13.0, result.Norm, 1e-14);
        Assert.Equal([3.0, 0.0], result.Gradients["a"].ToArray());
        Assert.Equal([3.5, 3.5], result.Gradients["b"].ToArray());
        Assert.Equal([-3.5], Clip.ByValue(Params<double>.Empty.Add("c", Tensor.FromArray([-9.0])), 3.5).Gradients["c"].ToArray());
    }

    [Fact]
    public void Clipping_leaves_its_input_unchanged()
    {
        var gradients = Gradients();
        Clip.ByGlobalNorm(gradients, 1.0);
        Clip.ByValue(gradients, 1.0);
        Assert.Equal([4.0, 12.0], gradients["b"].ToArray());
    }

    [Fact]
    public void A_global_norm_whose_sum_of_squares_overflows_still_clips_instead_of_zeroing()
    {
        // Each square is finite (6.4e37 < 3.4e38) but their sum is not: a plain Σ g² gives +∞, and maxNorm / ∞ = 0 used
        // to zero every gradient. The norm is 8e18·√10 ≈ 2.53e19, well inside float's range.
        var gradients = Params<float>.Empty
            .Add("w", Tensor.FromArray(new float[] { 8e18f, -8e18f, 8e18f, 8e18f, -8e18f }, 5))
            .Add("b", Tensor.FromArray(new float[] { 8e18f, 8e18f, -8e18f, 8e18f, 8e18f }, 5));
        var result = Clip.ByGlobalNorm(gradients, maxNorm: 1.0);
        double expectedNorm = 8e18 * Math.Sqrt(10);
        Assert.Equal(expectedNorm, result.Norm, expectedNorm * 1e-6);
        Assert.Equal(expectedNorm, Clip.GlobalNorm(gradients), expectedNorm * 1e-6);
        foreach (var (name, g) in result.Gradients)
            for (int i = 0; i < g.Size; i++)
                Assert.Equal(Math.Sign(gradients[name].ToArray()[i]) / Math.Sqrt(10), g.ToArray()[i], 1e-6);
        Assert.Equal(1.0, Clip.GlobalNorm(result.Gradients), 1e-5);
    }

    [Fact]
    public void A_norm_beyond_the_element_types_range_still_gives_a_finite_clipping()
    {
        var gradients = Params<double>.Empty.Add("w", Tensor.FromArray(new double[] { 1.5e308, 1.5e308, -1.5e308 }, 3));
        var result = Clip.ByGlobalNorm(gradients, maxNorm: 2.0);
        Assert.Equal(double.PositiveInfinity, result.Norm);
        Assert.Equal([2 / Math.Sqrt(3), 2 / Math.Sqrt(3), -2 / Math.Sqrt(3)], result.Gradients["w"].ToArray(), new Tolerance(1e-15));
    }

    private sealed class Tolerance(double relative) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * Math.Abs(y);
        public int GetHashCode(double value) => 0;
    }
}
