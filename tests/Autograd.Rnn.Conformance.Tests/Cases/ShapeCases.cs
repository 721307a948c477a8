#if TORCH
using TorchSharp;
#endif

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>Ops that move or select values without arithmetic: their gradients route values back to where they came from.</summary>
public static class ShapeCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        yield return new ConformanceCase("Transpose [3,5]", [new("x", [3, 5])], p => Tensor.Transpose(p["x"]))
#if TORCH
            { Torch = t => t("x").t() }
#endif
            ;
        yield return new ConformanceCase("Transpose [2,3,4] axes 0,2", [new("x", [2, 3, 4])], p => Tensor.Transpose(p["x"], 0, 2))
#if TORCH
            { Torch = t => t("x").transpose(0, 2) }
#endif
            ;
        yield return new ConformanceCase("Permute [2,3,4] (2,0,1)", [new("x", [2, 3, 4])], p => Tensor.Permute(p["x"], 2, 0, 1))
#if TORCH
            { Torch = t => t("x").permute(2, 0, 1) }
#endif
            ;
        yield return new ConformanceCase("Reshape [2,3,4] to [4,6]", [new("x", [2, 3, 4])], p => Tensor.Reshape(p["x"], 4, 6))
#if TORCH
            { Torch = t => t("x").reshape(4, 6) }
#endif
            ;
        yield return new ConformanceCase("Narrow [3,6] axis 1 from 2 length 3", [new("x", [3, 6])], p => Tensor.Narrow(p["x"], 1, 2, 3))
#if TORCH
            { Torch = t => t("x").narrow(1, 2, 3) }
#endif
            ;
        yield return new ConformanceCase("Narrow [4,2,3] axis 0 from 1 length 2", [new("x", [4, 2, 3])], p => Tensor.Narrow(p["x"], 0, 1, 2))
#if TORCH
            { Torch = t => t("x").narrow(0, 1, 2) }
#endif
            ;
        yield return new ConformanceCase("Concat [2,3],[2,1],[2,4] axis 1", [new("a", [2, 3]), new("b", [2, 1]), new("c", [2, 4])],
            p => Tensor.Concat([p["a"], p["b"], p["c"]], 1))
#if TORCH
            { Torch = t => torch.cat([t("a"), t("b"), t("c")], 1) }
#endif
            ;
        yield return new ConformanceCase("Concat [1,3],[2,3] axis 0", [new("a", [1, 3]), new("b", [2, 3])],
            p => Tensor.Concat([p["a"], p["b"]], 0))
#if TORCH
            { Torch = t => torch.cat([t("a"), t("b")], 0) }
#endif
            ;
        yield return new ConformanceCase("Stack 3×[2,4] axis 1", [new("a", [2, 4]), new("b", [2, 4]), new("c", [2, 4])],
            p => Tensor.Stack([p["a"], p["b"], p["c"]], 1))
#if TORCH
            { Torch = t => torch.stack([t("a"), t("b"), t("c")], 1) }
#endif
            ;

        // An embedding lookup: repeated indices must add their gradients into the same row; row 1 is never used.
        int[] indices = [4, 0, 4, 2, 3, 4];
        yield return new ConformanceCase("GatherRows [5,3] by 6 indices", [new("table", [5, 3])], p => Tensor.GatherRows(p["table"], indices))
#if TORCH
            { Torch = t => t("table").index_select(0, indices.ToTorchIndices(indices.Length)) }
#endif
            ;
        yield return new ConformanceCase("GatherRows [5,3] by indices [2,3]", [new("table", [5, 3])], p => Tensor.GatherRows(p["table"], indices, [2, 3]))
#if TORCH
            // Advanced indexing by an index tensor, as nn.Embedding does.
            { Torch = t => t("table")[indices.ToTorchIndices(2, 3)] }
#endif
            ;
    }
}
