using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// Rows for elementwise maximum and minimum (compositions over Where). Both inputs are drawn from the Distinct grid
/// (multiples of 0.05) and b is shifted by 0.025, so a and b never tie or come within a finite-difference step of each
/// other, whatever the broadcasting.
/// </summary>
public static class SelectionSpecs
{
    private static Gen<OpCase> Pair { get; } = Generators.BroadcastPair().Select(p => new OpCase(p, 0));

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Maximum", typeof(WhereOp), Pair, (x, _) => Tensor.Maximum(x[0], x[1] + 0.025), Domain.Distinct),
        new("Minimum", typeof(WhereOp), Pair, (x, _) => Tensor.Minimum(x[0], x[1] + 0.025), Domain.Distinct),
        new("Maximum second order", typeof(WhereOp), Pair,
            (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.Maximum(v, x[1] + 0.025))), x[0]), Domain.Distinct),
    ];
}

/// <summary>Forward values and the conventions finite differences cannot see: ties, NaN, ±0, constants.</summary>
public class SelectionTests
{
    [Fact]
    public void Maximum_and_minimum_broadcast_and_follow_ieee_order()
    {
        var a = Tensor.FromArray([1.0, -2.0, double.NaN, 0.0, -0.0, 5.0], 2, 3);
        var b = Tensor.FromArray([0.5, -0.0, 3.0], 3);
        var max = Tensor.Maximum(a, b).ToArray();
        var min = Tensor.Minimum(a, b).ToArray();
        Assert.Equal([1.0, -0.0, double.NaN, 0.5, -0.0, 5.0], max);
        Assert.False(double.IsNegative(Tensor.Maximum(Tensor.Scalar(-0.0), Tensor.Scalar(0.0)).Item));
        Assert.True(double.IsNegative(Tensor.Minimum(Tensor.Scalar(0.0), Tensor.Scalar(-0.0)).Item));
        Assert.Equal([0.5, -2.0, double.NaN, 0.0, -0.0, 3.0], min);
        Assert.True(double.IsNegative(min[4]));
        Assert.True(double.IsNaN(Tensor.Maximum(Tensor.Scalar(1.0), Tensor.Scalar(double.NaN)).Item));
    }

    [Fact]
    public void On_ties_the_whole_gradient_goes_to_the_first_input()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0], 3);
        var y = Tensor.FromArray([1.0, 0.0, 3.0], 3);
        var p = Params<double>.Empty.Add("a", x).Add("b", y);
        var gMax = Grad.Gradient(q => Tensor.Sum(Tensor.Maximum(q["a"], q["b"])), p);
        Assert.Equal([1.0, 1.0, 1.0], gMax["a"].ToArray());
        Assert.Equal([0.0, 0.0, 0.0], gMax["b"].ToArray());
        var gMin = Grad.Gradient(q => Tensor.Sum(Tensor.Minimum(q["a"], q["b"])), p);
        Assert.Equal([1.0, 0.0, 1.0], gMin["a"].ToArray());
        Assert.Equal([0.0, 1.0, 0.0], gMin["b"].ToArray());
        // Maximum(x, x): the gradient is 1, not 2 and not ½ + ½ from two paths that each saw half.
        Assert.Equal([1.0, 1.0, 1.0], Grad.Gradient(v => Tensor.Sum(Tensor.Maximum(v, v)), x).ToArray());
    }

    [Fact]
    public void The_input_not_chosen_gets_exactly_zero_gradient_even_when_it_is_infinite()
    {
        var b = Tensor.FromArray([double.NegativeInfinity, 2.0], 2);
        var g = Grad.Gradient(v => Tensor.Sum(Tensor.Maximum(Tensor.FromArray([0.0, 0.0], 2), v * 3.0)), b);
        Assert.Equal([0.0, 3.0], g.ToArray());
    }

    [Fact]
    public void Comparisons_give_constant_zero_one_masks_with_broadcasting()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, float.NaN, -0f, 5f], 2, 3);
        var b = Tensor.FromArray([2f, 2f, 0f], 3);
        Assert.Equal([0f, 0f, 1f, 0f, 0f, 1f], Tensor.Greater(a, b).ToArray());
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], Tensor.Less(a, b).ToArray());
        Assert.Equal([0f, 1f, 1f, 0f, 0f, 1f], Tensor.GreaterOrEqual(a, b).ToArray());
        Assert.Equal([1f, 1f, 0f, 0f, 1f, 0f], Tensor.LessOrEqual(a, b).ToArray());
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 0f], Tensor.Equal(a, b).ToArray());
        Assert.Equal(new Shape(2, 3), Tensor.Equal(a, b).Shape);
    }

    [Fact]
    public void Comparisons_of_traced_tensors_record_nothing_and_pass_no_gradient()
    {
        var x = Tensor.FromArray([-1.0, 2.0, 0.5], 3);
        var result = Grad.ValueAndGrad(v =>
        {
            var mask = Tensor.Greater(v, Tensor.Scalar(0.0));
            Assert.False(mask.IsTraced);
            return Tensor.Sum(mask * v * v);
        }, x);
        Assert.Equal([0.0, 4.0, 1.0], result.Gradient.ToArray());
    }

    [Fact]
    public void Shape_errors_name_the_operation_and_both_shapes()
    {
        var a = Tensor.Zeros<double>(2, 3);
        var b = Tensor.Zeros<double>(4);
        Assert.Contains("Maximum", Assert.Throws<ArgumentException>(() => Tensor.Maximum(a, b)).Message);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Greater(a, b));
        Assert.Contains("Greater", e.Message);
        Assert.Contains("[2,3]", e.Message.Replace(" ", ""));
    }
}
