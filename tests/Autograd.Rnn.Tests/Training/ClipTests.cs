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
}
