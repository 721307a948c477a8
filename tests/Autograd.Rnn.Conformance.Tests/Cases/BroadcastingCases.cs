using TorchSharp;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Binary arithmetic with NumPy broadcasting; the gradient of a broadcast operand must be summed back to its shape.
/// </summary>
public static class BroadcastingCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        foreach (var (a, b) in new (int[] A, int[] B)[]
        {
            ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 1], [1, 4]), ([2, 3, 4], [3, 1]), ([4], [2, 3, 4]), ([2, 3], []),
        })
        {
            string shapes = $"{Format(a)} {{0}} {Format(b)}";
            yield return new("Add " + string.Format(shapes, "+"),
                [new("a", a), new("b", b)], p => p["a"] + p["b"], t => t("a") + t("b"));
            yield return new("Subtract " + string.Format(shapes, "−"),
                [new("a", a), new("b", b)], p => p["a"] - p["b"], t => t("a") - t("b"));
            yield return new("Multiply " + string.Format(shapes, "·"),
                [new("a", a), new("b", b)], p => p["a"] * p["b"], t => t("a") * t("b"));
            // Divisors in [0.5, 2]: the quotient rule's b⁻² stays well conditioned.
            yield return new("Divide " + string.Format(shapes, "/"),
                [new("a", a), new("b", b, 0.5, 2.0)], p => p["a"] / p["b"], t => t("a") / t("b"));
        }
        yield return new("Add scalar constant", [new("x", [3, 4])], p => p["x"] + 2.5, t => t("x") + 2.5);
        yield return new("Multiply by scalar constant", [new("x", [3, 4])], p => 3.0 * p["x"], t => t("x") * 3.0);
        yield return new("Divide scalar constant by tensor", [new("x", [3, 4], 0.5, 2.0)], p => 1.0 / p["x"], t => t("x").reciprocal());
    }

    private static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";
}
