using Xunit.Sdk;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>The comparison itself: it must fail when only a gradient, or only a value, is wrong.</summary>
[Collection(LibTorchCollection.Name)]
public sealed class ConformanceCheckTests
{
    [Fact]
    public void A_wrong_gradient_with_a_right_value_is_reported()
    {
        // x · stop_gradient(x) has the value x², but the gradient x instead of 2x.
        var wrong = new ConformanceCase("x squared with half its gradient", [new("x", [5])],
            p => p["x"] * Tensor.StopGradient(p["x"]), t => t("x") * t("x"));
        var failure = Assert.Throws<TrueException>(() => Conformance.Check(wrong));
        Assert.Contains("gradient of x", failure.Message);
        Assert.DoesNotContain("forward value", failure.Message);
    }

    [Fact]
    public void A_value_off_by_more_than_the_tolerance_is_reported()
    {
        var wrong = new ConformanceCase("x plus 1e-11", [new("x", [5])],
            p => p["x"] + 1e-11, t => t("x"));
        var failure = Assert.Throws<TrueException>(() => Conformance.Check(wrong));
        Assert.Contains("forward value", failure.Message);
    }
}
