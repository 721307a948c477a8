using Xunit.Sdk;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>The comparison itself: it must fail when only a gradient, or only a value, is wrong.</summary>
public sealed class ConformanceCheckTests
{
    [Fact]
    public void A_wrong_gradient_with_a_right_value_is_reported()
    {
        var failure = Assert.Throws<TrueException>(() => Conformance.Check(CheckCases.WrongGradient));
        Assert.Contains("gradient of x", failure.Message);
        Assert.DoesNotContain("forward value", failure.Message);
    }

    [Fact]
    public void A_value_off_by_more_than_the_tolerance_is_reported()
    {
        var failure = Assert.Throws<TrueException>(() => Conformance.Check(CheckCases.WrongValue));
        Assert.Contains("forward value", failure.Message);
    }
}
