/// Reliability features as an F# user calls them: anomaly mode with `use`, graph export and the parameter summary,
/// a value kept from an inner Grad call, and padded batches holding NaN.
module Autograd.Rnn.FSharp.Tests.ReliabilityTests

open System
open Xunit
open Autograd.Rnn

type ``Anomaly mode, inspection and ended levels from F#`` () =

    [<Fact>]
    member _.``use Anomaly.Detect() stops at the first NaN and names the op and this file`` () =
        let x = Tensor.FromArray [| 2.0; 0.5 |]
        let error =
            Assert.Throws<AnomalyException>(fun () ->
                use _ = Anomaly.Detect()
                Grad.Gradient(x, fun v -> (log (v - 1.0)).Sum()) |> ignore)
        Assert.Equal("Log", error.Operation)
        Assert.Contains("ReliabilityTests.fs:", error.Origin)
        Assert.False(Anomaly.IsEnabled)

    [<Fact>]
    member _.``Graph.ToDot and Summary take parameters first with no annotations`` () =
        let p = Params.Create [ "w", Tensor.RandomNormal<float32>([| 2; 3 |], 1UL); "b", Tensor.Zeros 3 ]
        let x = Tensor.Ones<float32>(4, 2)
        let dot = Graph.ToDot(p, fun q -> (tanh (x.MatMul q.["w"] + q.["b"])).Sum())
        Assert.Contains("w\\n[2,3]", dot)
        Assert.Contains("Tanh\\n[4,3]", dot)
        let summary = p.Summary()
        Assert.Equal(9L, summary.TotalCount)
        Assert.Equal(36L, summary.TotalBytes)
        Assert.Contains("float32", string summary)

    [<Fact>]
    member _.``a value kept from an inner Grad call gets its outer gradient`` () =
        let mutable kept = Tensor.Scalar 0.0
        let g = Grad.Gradient(Tensor.Scalar 3.0, fun x ->
                    Grad.Gradient(x, fun z -> kept <- z * z; kept) |> ignore
                    kept)
        Assert.Equal(6.0, g.Item)

    [<Fact>]
    member _.``NaN at padded steps reaches no gradient`` () =
        let layer = RecurrentLayer.Gru<float>(2, 3)
        let p = layer.Initialize 1UL
        let clean = Tensor.RandomNormal<float>([| 4; 2; 2 |], 2UL)
        let values = clean.ToArray()
        for t in 2 .. 3 do for f in 0 .. 1 do values.[(t * 2 + 1) * 2 + f] <- nan
        let dirty = Tensor.FromArray(values, 4, 2, 2)
        let gradient input = Grad.Gradient(p, fun q -> (layer.Apply(q, input, [| 4; 2 |]).Output).Sum())
        let a, b = gradient clean, gradient dirty
        for name in p.Names do Assert.Equal<float[]>(a.[name].ToArray(), b.[name].ToArray())

    [<Fact>]
    member _.``Params.Create of one tensor needs no list`` () =
        let p = Params.Create("w", Tensor.Ones<float32>(2, 2))
        Assert.Equal<string seq>([ "w" ], p.Names)
        Assert.Equal(4.0f, (Grad.ValueAndGrad(p, fun q -> q.["w"].Sum())).Value.Item)
