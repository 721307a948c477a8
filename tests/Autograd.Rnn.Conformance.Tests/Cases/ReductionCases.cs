namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Sum, mean and max over everything and along each axis, with and without keeping the reduced axis. (Random values
/// have no ties, so max's gradient, which libtorch and we may split differently between tied elements, is unambiguous.)
/// </summary>
public static class ReductionCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        int[] shape = [2, 3, 4];
        yield return new ConformanceCase("Sum all [2,3,4]", [new("x", shape)], p => Tensor.Sum(p["x"]))
#if TORCH
            { Torch = t => t("x").sum() }
#endif
            ;
        yield return new ConformanceCase("Mean all [2,3,4]", [new("x", shape)], p => Tensor.Mean(p["x"]))
#if TORCH
            { Torch = t => t("x").mean() }
#endif
            ;
        yield return new ConformanceCase("Max all [2,3,4]", [new("x", shape)], p => Tensor.Max(p["x"]))
#if TORCH
            { Torch = t => t("x").max() }
#endif
            ;
        foreach (var axis in new[] { 0, 1, 2, -1 })
            foreach (var keep in new[] { false, true })
            {
                yield return new ConformanceCase($"Sum [2,3,4] axis {axis}{(keep ? " kept" : "")}",
                    [new("x", shape)], p => Tensor.Sum(p["x"], axis, keep))
#if TORCH
                    { Torch = t => t("x").sum(axis, keep) }
#endif
                    ;
                yield return new ConformanceCase($"Mean [2,3,4] axis {axis}{(keep ? " kept" : "")}",
                    [new("x", shape)], p => Tensor.Mean(p["x"], axis, keep))
#if TORCH
                    { Torch = t => t("x").mean([axis], keep) }
#endif
                    ;
                yield return new ConformanceCase($"Max [2,3,4] axis {axis}{(keep ? " kept" : "")}",
                    [new("x", shape)], p => Tensor.Max(p["x"], axis, keep))
#if TORCH
                    { Torch = t => t("x").max(axis, keep).values }
#endif
                    ;
            }
    }
}
