namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>The reverse sweep: accumulation, zero gradients, deep graphs, and the errors Grad and Vjp raise.</summary>
public class BackwardTests
{
    private static readonly Tensor<double> X = Tensor.FromArray(new[] { 0.3, -1.2, 2.0, 0.0, -0.4, 0.9 }, 2, 3);

    [Fact]
    public void Cotangents_of_a_reused_node_are_summed()
    {
        // f = Σ (y·y + y + y·3) with y = tanh(x): y feeds four uses; df/dx = (2y + 4)(1 − y²).
        var g = Grad.Gradient(x =>
        {
            var y = Tensor.Tanh(x);
            return Tensor.Sum(y * y + y + y * 3.0);
        }, X);
        var expected = X.ToArray().Select(v => (2 * Math.Tanh(v) + 4) * (1 - Math.Tanh(v) * Math.Tanh(v))).ToArray();
        AssertClose(expected, g.ToArray(), 1e-14);
    }

    [Fact]
    public void A_leaf_used_many_times_gets_the_sum_of_all_its_uses()
    {
        var g = Grad.Gradient(x =>
        {
            var total = x;
            for (int i = 1; i < 10; i++) total = total + x;
            return Tensor.Sum(total);
        }, X);
        Assert.All(g.ToArray(), v => Assert.Equal(10.0, v));
    }

    [Fact]
    public void A_parameter_used_in_several_places_sums_its_gradients()
    {
        var p = Params<double>.Empty.Add("w", Tensor.FromArray(new[] { 2.0, 3.0 })).Add("b", Tensor.Scalar(0.5));
        // f = Σ w·w·b + Σ w  =>  ∂f/∂w = 2wb + 1, ∂f/∂b = Σ w².
        var g = Grad.Gradient(q => Tensor.Sum(q["w"] * q["w"] * q["b"]) + Tensor.Sum(q["w"]), p);
        Assert.Equal(new[] { 3.0, 4.0 }, g["w"].ToArray());
        Assert.Equal(13.0, g["b"].Item);
    }

    [Fact]
    public void Unused_parameters_get_zero_gradients_of_their_own_shape()
    {
        var p = Params<double>.Empty
            .Add("used", Tensor.FromArray(new[] { 1.0, 2.0 }))
            .Add("unused", Tensor.Ones<double>(3, 4))
            .Add("alsoUnused", Tensor.Scalar(7.0));
        var result = Grad.ValueAndGrad(q => Tensor.Sum(q["used"] * 2.0), p);
        Assert.Equal(new[] { "used", "unused", "alsoUnused" }, result.Gradients.Names);
        Assert.Equal(new Shape(3, 4), result.Gradients["unused"].Shape);
        Assert.All(result.Gradients["unused"].ToArray(), v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, result.Gradients["alsoUnused"].Item);
        Assert.Equal(6.0, result.Value.Item);
    }

    [Fact]
    public void The_gradient_of_a_constant_function_is_zero_and_its_value_is_returned()
    {
        var result = Grad.ValueAndGrad(_ => Tensor.Scalar(3.0), X);
        Assert.Equal(3.0, result.Value.Item);
        Assert.Equal(X.Shape, result.Gradient.Shape);
        Assert.All(result.Gradient.ToArray(), v => Assert.Equal(0.0, v));

        var p = Params<double>.Empty.Add("w", X);
        var byParams = Grad.ValueAndGrad(_ => Tensor.Full(4.0, 1, 1), p);
        Assert.Equal(4.0, byParams.Value.Item);
        Assert.All(byParams.Gradients["w"].ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void The_gradient_of_the_identity_on_a_one_element_input_is_one()
    {
        Assert.Equal(1.0, Grad.Gradient(x => x, Tensor.Scalar(5.0)).Item);
        Assert.Equal(1.0, Grad.Gradient(x => x, Tensor.Full(5.0, 1, 1)).Item);
    }

    [Fact]
    public void Results_are_constants_and_the_value_is_the_function_value()
    {
        var result = Grad.ValueAndGrad(x => Tensor.Sum(Tensor.Exp(x)), X);
        Assert.False(result.Value.IsTraced);
        Assert.False(result.Gradient.IsTraced);
        Assert.Equal(X.ToArray().Sum(Math.Exp), result.Value.Item, 12);
        AssertClose(X.ToArray().Select(Math.Exp).ToArray(), result.Gradient.ToArray(), 1e-15);
    }

    [Fact]
    public void A_chain_of_20000_ops_differentiates_without_overflowing_a_small_stack()
    {
        // y_{k+1} = y_k·a + (x − x): dy/dx = a^20000. Run on a thread with a 256 KiB stack: any recursion over the
        // graph (topological sort, sweep, or freeing it) would overflow long before 20,000 levels.
        const int steps = 20_000;
        const double a = 0.99995;
        double gradient = double.NaN, value = double.NaN;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var result = Grad.ValueAndGrad(x =>
                {
                    var y = x;
                    for (int i = 0; i < steps; i++) y = i % 2 == 0 ? y * a : y + (x - x);
                    return y;
                }, Tensor.Scalar(2.0));
                gradient = result.Gradient.Item;
                value = result.Value.Item;
            }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.Equal(Math.Pow(a, steps / 2), gradient, 1e-10);
        Assert.Equal(2.0 * Math.Pow(a, steps / 2), value, 1e-10);
    }

    [Fact]
    public void A_function_returning_a_non_scalar_is_rejected_naming_its_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Grad.Gradient(x => Tensor.Tanh(x), X));
        Assert.Contains("Grad.ValueAndGrad", error.Message);
        Assert.Contains("[2,3]", error.Message);
        var p = Params<double>.Empty.Add("w", X);
        var byParams = Assert.Throws<ArgumentException>(() => Grad.Gradient(q => q["w"] * 2.0, p));
        Assert.Contains("[2,3]", byParams.Message);
    }

    [Fact]
    public void A_function_returning_null_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Grad.Gradient<double>(_ => null!, X));

    [Fact]
    public void Vjp_pushes_any_cotangent_through_a_non_scalar_function()
    {
        var cotangent = Tensor.FromArray(new[] { 1.0, -2.0, 0.5, 3.0, 0.0, 1.5 }, 2, 3);
        var result = Grad.Vjp(x => Tensor.Tanh(x) * 2.0, X, cotangent);
        Assert.Equal(X.Shape, result.Cotangent.Shape);
        var expected = X.ToArray().Select((v, i) => cotangent.ToArray()[i] * 2 * (1 - Math.Tanh(v) * Math.Tanh(v))).ToArray();
        AssertClose(expected, result.Cotangent.ToArray(), 1e-15);
        AssertClose(X.ToArray().Select(v => 2 * Math.Tanh(v)).ToArray(), result.Output.ToArray(), 1e-15);
    }

    [Fact]
    public void Vjp_with_a_cotangent_of_the_wrong_shape_throws_naming_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Grad.Vjp(x => Tensor.Tanh(x), X, Tensor.Ones<double>(3, 2)));
        Assert.Contains("Grad.Vjp", error.Message);
        Assert.Contains("[3,2]", error.Message);
        Assert.Contains("[2,3]", error.Message);
    }

    [Fact]
    public void A_vjp_rule_returning_the_wrong_shape_is_reported_naming_the_op()
    {
        static Tensor<double> Bad(Tensor<double> x) =>
            Trace.Unary("BadShape", x, v => v, Bad, (_, _, g) => Tensor.Sum(g), (_, _, t) => t, (x, axis) => new(Bad(x), axis));
        var error = Assert.Throws<InvalidOperationException>(() => Grad.Gradient(x => Tensor.Sum(Bad(x)), X));
        Assert.Contains("BadShape", error.Message);
        Assert.Contains("[2,3]", error.Message);
    }

    [Fact]
    public void Ops_on_constants_build_no_graph()
    {
        var y = Tensor.Sum(Tensor.Tanh(X) * X + 1.0);
        Assert.False(y.IsTraced);
        Assert.Null(y.Node);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"entry {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Vjp_of_a_function_returning_null_says_so()
    {
        var error = Assert.Throws<ArgumentException>(() => Grad.Vjp<double>(_ => null!, X, X));
        Assert.Contains("Grad.Vjp: the function returned null", error.Message);
    }
}
