namespace Autograd.Rnn.Tests.Autodiff;

public class NestingTests
{
    [Fact]
    public void Perturbation_confusion_case_gives_2x()
    {
        // d/dx [x · d/dy (x·y)] at y = 1 is d/dx [x · x] = 2x; confusing the two levels gives x instead.
        var x0 = Tensor.Scalar(3.0);
        var derivative = Grad.Gradient(x =>
        {
            var inner = Grad.Gradient(y => x * y, Tensor.Scalar(1.0));
            return x * inner;
        }, x0);
        Assert.Equal(6.0, derivative.Item, 12);
    }

    [Fact]
    public void Gradient_of_a_sum_of_products_is_exact()
    {
        var x = Tensor.FromArray([1.0, -2.0, 0.5], 3);
        var w = Tensor.FromArray([0.25, 4.0, -1.0], 3);
        var g = Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(v * w)), x);
        var expected = x.ToArray().Select((xi, i) => w.ToArray()[i] * (1 - Math.Pow(Math.Tanh(xi * w.ToArray()[i]), 2))).ToArray();
        var actual = g.ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
