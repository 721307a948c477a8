namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// The three GEMM layouts (A·B, Aᵀ·B, A·Bᵀ) and the batched product, at a small size and at sizes that are
/// not multiples of any vector width or tile, so the blocked kernel's edges are exercised.
/// </summary>
public static class MatMulCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        foreach (var (m, k, n) in new[] { (3, 4, 5), (37, 71, 29) })
        {
            yield return new ConformanceCase($"MatMul [{m},{k}]·[{k},{n}]",
                [new("a", [m, k]), new("b", [k, n])],
                p => Tensor.MatMul(p["a"], p["b"]))
#if TORCH
                { Torch = t => t("a").matmul(t("b")) }
#endif
                ;
            yield return new ConformanceCase($"MatMulTransposeA [{k},{m}]ᵀ·[{k},{n}]",
                [new("a", [k, m]), new("b", [k, n])],
                p => Tensor.MatMulTransposeA(p["a"], p["b"]))
#if TORCH
                { Torch = t => t("a").t().matmul(t("b")) }
#endif
                ;
            yield return new ConformanceCase($"MatMulTransposeB [{m},{k}]·[{n},{k}]ᵀ",
                [new("a", [m, k]), new("b", [n, k])],
                p => Tensor.MatMulTransposeB(p["a"], p["b"]))
#if TORCH
                { Torch = t => t("a").matmul(t("b").t()) }
#endif
                ;
        }
        yield return new ConformanceCase("MatMul batched [2,3,4]·[4,5]",
            [new("a", [2, 3, 4]), new("b", [4, 5])],
            p => p["a"].MatMul(p["b"]))
#if TORCH
            { Torch = t => t("a").matmul(t("b")) }
#endif
            ;
    }
}
