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
            yield return new ConformanceCase("Add " + string.Format(shapes, "+"), [new("a", a), new("b", b)], p => p["a"] + p["b"])
#if TORCH
                { Torch = t => t("a") + t("b") }
#endif
                ;
            yield return new ConformanceCase("Subtract " + string.Format(shapes, "−"), [new("a", a), new("b", b)], p => p["a"] - p["b"])
#if TORCH
                { Torch = t => t("a") - t("b") }
#endif
                ;
            yield return new ConformanceCase("Multiply " + string.Format(shapes, "·"), [new("a", a), new("b", b)], p => p["a"] * p["b"])
#if TORCH
                { Torch = t => t("a") * t("b") }
#endif
                ;
            // Divisors in [0.5, 2]: the quotient rule's b⁻² stays well conditioned.
            yield return new ConformanceCase("Divide " + string.Format(shapes, "/"), [new("a", a), new("b", b, 0.5, 2.0)], p => p["a"] / p["b"])
#if TORCH
                { Torch = t => t("a") / t("b") }
#endif
                ;
        }
        yield return new ConformanceCase("Add scalar constant", [new("x", [3, 4])], p => p["x"] + 2.5)
#if TORCH
            { Torch = t => t("x") + 2.5 }
#endif
            ;
        yield return new ConformanceCase("Multiply by scalar constant", [new("x", [3, 4])], p => 3.0 * p["x"])
#if TORCH
            { Torch = t => t("x") * 3.0 }
#endif
            ;
        yield return new ConformanceCase("Divide scalar constant by tensor", [new("x", [3, 4], 0.5, 2.0)], p => 1.0 / p["x"])
#if TORCH
            { Torch = t => t("x").reciprocal() }
#endif
            ;
    }

    private static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";
}
