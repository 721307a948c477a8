/// The ops research cells use (issue 15), called from F# without type annotations.
module Autograd.Rnn.FSharp.Tests.ResearchOpsTests

open Xunit
open Autograd.Rnn

let private close (expected: Tensor<'T>) (actual: Tensor<'T>) =
    Assert.True(actual.AllClose(expected, 1e-5, 1e-6), sprintf "expected %O, got %O" expected actual)

type ``Research ops from F#`` () =

    [<Fact>]
    member _.``F# sin and cos apply elementwise, and their gradients are cos and -sin`` () =
        let x = Tensor.FromArray [| 0.5; 1.0; -2.0 |]
        close (Tensor.FromArray [| sin 0.5; sin 1.0; sin -2.0 |]) (sin x)
        close (Tensor.FromArray [| cos 0.5f; cos 1.0f |]) (cos (Tensor.FromArray [| 0.5f; 1.0f |]))
        let g = Grad.Gradient(x, fun v -> (sin v + cos v).Sum())
        close (cos x - sin x) g

    [<Fact>]
    member _.``Minimum, BatchMatMul, LayerNorm and Dropout compose into a differentiable function`` () =
        let p =
            Params.Create [ "w", Tensor.RandomNormal([| 2; 3; 4 |], 1UL)
                            "gamma", Tensor.FromArray [| 1.0; 0.5; 2.0; 1.0 |]
                            "beta", Tensor.Zeros 4 ]
        let x = Tensor.RandomNormal([| 2; 5; 3 |], 2UL)
        let result =
            Grad.ValueAndGrad(p, fun p ->
                let h = Tensor.BatchMatMul(x, p.["w"])                   // [2, 5, 4]
                let n = Tensor.LayerNorm(h, p.["gamma"], p.["beta"])
                let d = Tensor.Dropout(n, 0.2, 7UL)
                (Tensor.Minimum(d, 0.5 * d + 0.1) |> Tensor.Gelu).Sum())
        Assert.Equal<int seq>([ 2; 3; 4 ], result.Gradients.["w"].Shape.Dimensions)
        let check =
            GradCheck.Run(p, fun p ->
                let n = Tensor.LayerNorm(Tensor.BatchMatMul(x, p.["w"]), p.["gamma"], p.["beta"])
                (Tensor.Minimum(Tensor.Dropout(n, 0.2, 7UL), Tensor.Scalar 0.3) |> Tensor.Gelu).Sum())
        Assert.True(check.Passed, string check)

    [<Fact>]
    member _.``Comparisons and ArgMax give constants and indices`` () =
        let logits = Tensor.FromArray([| 0.1f; 0.9f; 0.3f; 0.2f |], 2, 2)
        Assert.Equal<int seq>([ 1; 0 ], Tensor.ArgMax(logits, -1))
        close (Tensor.FromArray([| 0.0f; 1.0f; 1.0f; 0.0f |], 2, 2)) (Tensor.Greater(logits, Tensor.Scalar 0.25f))
        let mask = Tensor.FromArray [| 1.0; 0.0 |]
        let loss = Loss.MaskedMse(Tensor.FromArray [| 2.0; nan |], Tensor.FromArray [| 1.0; 0.0 |], mask)
        Assert.Equal(1.0, loss.Item)

    [<Fact>]
    member _.``Einsum takes its operands as F# arguments and differentiates like the products it stands for`` () =
        let q = Tensor.RandomNormal<float>([| 2; 3; 4 |], 1UL)
        let k = Tensor.RandomNormal<float>([| 2; 5; 4 |], 2UL)
        let scores = Tensor.Einsum("bqd,bkd->bqk", q, k)
        close (Tensor.BatchMatMulTransposeB(q, k)) scores
        close (Tensor.Transpose(scores.Sum 0)) (Tensor.Einsum("bqk->kq", scores))
        let g = Grad.Gradient(q, fun q -> Tensor.Einsum("bqd,bkd->", q, k))
        close (Tensor.BroadcastTo(Tensor.Sum(k, 1, keepDimension = true), q.Shape)) g
