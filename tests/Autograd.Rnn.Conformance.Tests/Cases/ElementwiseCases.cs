using TorchSharp;
using F = TorchSharp.torch.nn.functional;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>Unary elementwise ops, each on inputs drawn from a range where it is smooth and well conditioned.</summary>
public static class ElementwiseCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        yield return Unary("Tanh", -3, 3, Tensor.Tanh, x => x.tanh());
        yield return Unary("Exp", -3, 3, Tensor.Exp, x => x.exp());
        yield return Unary("Log", 0.05, 5, Tensor.Log, x => x.log());
        yield return Unary("Negate", -3, 3, Tensor.Negate, x => -x);
        yield return Unary("Sigmoid", -6, 6, Tensor.Sigmoid, x => x.sigmoid());
        // Random values are never exactly 0, where relu's derivative is a convention (0 on both sides).
        yield return Unary("Relu", -2, 2, Tensor.Relu, x => F.relu(x));
        // libtorch's softplus switches to the identity above its threshold (20); stay below it.
        yield return Unary("Softplus", -10, 10, Tensor.Softplus, x => F.softplus(x));
        yield return Unary("Sqrt", 0.05, 5, Tensor.Sqrt, x => x.sqrt());
        yield return Unary("Abs", -2, 2, Tensor.Abs, x => x.abs());
        yield return Unary("Pow 2.5", 0.05, 3, x => Tensor.Pow(x, 2.5), x => x.pow(2.5));
        yield return Unary("Pow -1.5", 0.2, 3, x => Tensor.Pow(x, -1.5), x => x.pow(-1.5));
        yield return Unary("Clamp [-0.5, 0.25]", -1, 1, x => Tensor.Clamp(x, -0.5, 0.25), x => x.clamp(-0.5, 0.25));
    }

    private static ConformanceCase Unary(
        string name, double low, double high, Func<Tensor<double>, Tensor<double>> ours, Func<torch.Tensor, torch.Tensor> reference) =>
        // 67 elements: more than a few vector widths and not a multiple of any, so SIMD remainders are covered.
        new(name, [new("x", [67], low, high)], p => ours(p["x"]), t => reference(t("x")));
}
