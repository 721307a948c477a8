namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Deliberately wrong cases, whose references are libtorch's right answers: the comparison must report them
/// (ConformanceCheckTests).
/// </summary>
public static class CheckCases
{
    /// <summary>x · stop_gradient(x) has the value x², but the gradient x instead of 2x.</summary>
    public static readonly ConformanceCase WrongGradient =
        new ConformanceCase("x squared with half its gradient", [new("x", [5])], p => p["x"] * Tensor.StopGradient(p["x"]))
#if TORCH
        { Torch = t => t("x") * t("x") }
#endif
        ;

    /// <summary>Off by 1e-11, ten times the tolerance.</summary>
    public static readonly ConformanceCase WrongValue =
        new ConformanceCase("x plus 1e-11", [new("x", [5])], p => p["x"] + 1e-11)
#if TORCH
        { Torch = t => t("x") }
#endif
        ;

    public static IEnumerable<ConformanceCase> All() => [WrongGradient, WrongValue];
}
