#if TORCH
using TorchSharp;
using F = TorchSharp.torch.nn.functional;
#endif

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>Unary elementwise ops, each on inputs drawn from a range where it is smooth and well conditioned.</summary>
public static class ElementwiseCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        yield return Unary("Tanh", -3, 3, Tensor.Tanh)
#if TORCH
            with { Torch = t => t("x").tanh() }
#endif
            ;
        yield return Unary("Exp", -3, 3, Tensor.Exp)
#if TORCH
            with { Torch = t => t("x").exp() }
#endif
            ;
        yield return Unary("Log", 0.05, 5, Tensor.Log)
#if TORCH
            with { Torch = t => t("x").log() }
#endif
            ;
        yield return Unary("Negate", -3, 3, Tensor.Negate)
#if TORCH
            with { Torch = t => -t("x") }
#endif
            ;
        yield return Unary("Sigmoid", -6, 6, Tensor.Sigmoid)
#if TORCH
            with { Torch = t => t("x").sigmoid() }
#endif
            ;
        // Random values are never exactly 0, where relu's derivative is a convention (0 on both sides).
        yield return Unary("Relu", -2, 2, Tensor.Relu)
#if TORCH
            with { Torch = t => F.relu(t("x")) }
#endif
            ;
        // libtorch's softplus switches to the identity above its threshold (20); stay below it.
        yield return Unary("Softplus", -10, 10, Tensor.Softplus)
#if TORCH
            with { Torch = t => F.softplus(t("x")) }
#endif
            ;
        yield return Unary("Sqrt", 0.05, 5, Tensor.Sqrt)
#if TORCH
            with { Torch = t => t("x").sqrt() }
#endif
            ;
        yield return Unary("Abs", -2, 2, Tensor.Abs)
#if TORCH
            with { Torch = t => t("x").abs() }
#endif
            ;
        yield return Unary("Pow 2.5", 0.05, 3, x => Tensor.Pow(x, 2.5))
#if TORCH
            with { Torch = t => t("x").pow(2.5) }
#endif
            ;
        yield return Unary("Pow -1.5", 0.2, 3, x => Tensor.Pow(x, -1.5))
#if TORCH
            with { Torch = t => t("x").pow(-1.5) }
#endif
            ;
        yield return Unary("Clamp [-0.5, 0.25]", -1, 1, x => Tensor.Clamp(x, -0.5, 0.25))
#if TORCH
            with { Torch = t => t("x").clamp(-0.5, 0.25) }
#endif
            ;
    }

    // 67 elements: more than a few vector widths and not a multiple of any, so SIMD remainders are covered.
    private static ConformanceCase Unary(string name, double low, double high, Func<Tensor<double>, Tensor<double>> ours) =>
        new(name, [new("x", [67], low, high)], p => ours(p["x"]));
}
