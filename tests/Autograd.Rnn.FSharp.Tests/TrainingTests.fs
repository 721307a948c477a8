/// Composable optimizers as an F# user writes them: an optimizer value built with Optimizer.Chain, its state threaded
/// through a fold, no type annotations and no casts.
module Autograd.Rnn.FSharp.Tests.TrainingTests

open Xunit
open Autograd.Rnn

let private inputs = Tensor.RandomNormal<float>([| 6; 4; 3 |], 5UL)
let private targets = Tensor.RandomNormal<float>([| 4; 1 |], 6UL)
let private layer = RecurrentLayer.Gru<float>(3, 8)
let private start = layer.Initialize(1UL).Concat(Linear.Init<float>(8, 1, 2UL).WithPrefix("readout."))
let private lossOf (p: Params<float>) =
    Loss.Mse(Linear.Apply(p.Select "readout.", layer.Apply(p, inputs).LastLayerHidden), targets)

type ``Composable optimizers`` () =

    [<Fact>]
    member _.``A chain of clipping, AdamW with AMSGrad and a cosine schedule trains a GRU`` () =
        let optimizer =
            Optimizer.Chain(GradientTransform.ClipByGlobalNorm 1.0,
                            Optimizer.Adam(AdamOptions.AdamW.WithAmsGrad true),
                            Schedule.Cosine(0.05, 30L))
        let step (p, s) =
            let r = Grad.ValueAndGrad(p, lossOf)
            let next = optimizer.Update(p, r.Gradients, s)
            next.Parameters, next.State
        let trained, state = Seq.fold (fun acc _ -> step acc) (start, optimizer.Init start) [ 1 .. 30 ]
        Assert.Equal(30L, state.Step)
        Assert.True((lossOf trained).Item < 0.5 * (lossOf start).Item, sprintf "loss %f -> %f" (lossOf start).Item (lossOf trained).Item)

    [<Fact>]
    member _.``The chain is the three steps by hand, and its state survives a checkpoint round trip`` () =
        let adam = AdamOptions.Default.WithMaximize(false).WithBetas(0.8, 0.9)
        let schedule = Schedule.Linear(0.01, 1.0, 0.1, 5L)
        let optimizer = Optimizer.Chain(GradientTransform.ClipByValue 0.1, Optimizer.Adam adam, schedule)
        let gradients = Grad.ValueAndGrad(start, lossOf).Gradients
        let mutable byHand = start, Adam.Init(start, adam)
        let mutable chained = start, optimizer.Init start
        for _ in 1 .. 4 do
            let p, s = byHand
            let clipped = Clip.ByValue(gradients, 0.1).Gradients
            let next = Adam.Step(p, clipped, s, adam.WithLearningRate(schedule.At s.Step))
            byHand <- next.Parameters, next.State
            let next = optimizer.Update(fst chained, gradients, snd chained)
            chained <- next.Parameters, next.State
        for name in start.Names do
            Assert.Equal<float[]>((fst byHand).[name].ToArray(), (fst chained).[name].ToArray())
        let restored = optimizer.StateFromParams((snd chained).ToParams())
        Assert.Equal<string list>(List.ofSeq ((snd chained).ToParams().Names), List.ofSeq (restored.ToParams().Names))
        Assert.Equal(4L, restored.Step)
