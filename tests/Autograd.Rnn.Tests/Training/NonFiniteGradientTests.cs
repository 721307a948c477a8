namespace Autograd.Rnn.Tests.Training;

/// <summary>A NaN or infinite gradient is refused where it would enter an update, with its name, index and value.</summary>
public class NonFiniteGradientTests
{
    private static Params<double> Parameters() => Params<double>.Empty
        .Add("bias", Tensor.Zeros<double>(3))
        .Add("weight", Tensor.Ones<double>(2, 2));

    private static Params<double> GradientsWith(double bad) => Params<double>.Empty
        .Add("bias", Tensor.FromArray([0.1, 0.2, 0.3]))
        .Add("weight", Tensor.FromArray([0.5, -0.5, bad, 1.0], 2, 2));

    public static TheoryData<string, double> Cases()
    {
        var data = new TheoryData<string, double>();
        foreach (var optimizer in new[] { "Sgd", "Adam", "Adam.Update", "RmsProp", "Adagrad", "Clip.ByGlobalNorm", "Clip.ByValue" })
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                data.Add(optimizer, bad);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_non_finite_gradient_is_refused_with_its_name_index_and_value(string operation, double bad)
    {
        var p = Parameters();
        var g = GradientsWith(bad);
        Action step = operation switch
        {
            "Sgd" => () => Sgd.Step(p, g, Sgd.Init(p)),
            "Adam" => () => Adam.Step(p, g, Adam.Init(p)),
            "Adam.Update" => () => Optimizer.Adam(AdamOptions.AdamW).Update(p, g, Optimizer.Adam().Init(p)),
            "RmsProp" => () => RmsProp.Step(p, g, RmsProp.Init(p)),
            "Adagrad" => () => Adagrad.Step(p, g, Adagrad.Init(p)),
            "Clip.ByGlobalNorm" => () => Clip.ByGlobalNorm(g, 1.0),
            _ => () => Clip.ByValue(g, 1.0),
        };
        var error = Assert.Throws<ArgumentException>(step);
        Assert.StartsWith(operation, error.Message);
        Assert.Contains($"the gradient of 'weight' is {bad} at [1,0]", error.Message);
    }

    [Fact]
    public void Finite_gradients_whose_sum_overflows_are_not_mistaken_for_infinities()
    {
        var huge = Params<float>.Empty.Add("w", Tensor.FromArray([3e38f, 3e38f, -1f]));
        var clipped = Clip.ByValue(huge, 1.0);
        Assert.Equal([1f, 1f, -1f], clipped.Gradients["w"].ToArray());
    }
}
