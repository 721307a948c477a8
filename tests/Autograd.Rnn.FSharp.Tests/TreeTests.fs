/// Parameter trees as an F# user writes them: a record of an LSTM layer's Params and a readout record, trained with
/// Adam through Grad.ValueAndGradTree and optimizer.UpdateTree, saved and loaded as a checkpoint; F# lists and maps
/// inside records; lambdas with no annotations.
module Autograd.Rnn.FSharp.Tests.TreeTests

open System
open System.IO
open Xunit
open Autograd.Rnn

type Readout = { weight: Tensor<float32>; bias: Tensor<float32> }
type Model = { encoder: Params<float32>; readout: Readout; hiddenSize: int }

let private inputs = Tensor.RandomNormal<float32>([| 6; 4; 3 |], 5UL)
let private targets = Tensor.RandomNormal<float32>([| 4; 1 |], 6UL)
let private layer = RecurrentLayer.Lstm<float32>(3, 8)

let private start =
    let linear = Linear.Init<float32>(8, 1, 2UL)
    { encoder = layer.Initialize 1UL; readout = { weight = linear.["weight"]; bias = linear.["bias"] }; hiddenSize = 8 }

let private apply (r: Readout) h = Linear.Apply(Params.Create [ "weight", r.weight; "bias", r.bias ], h)
let private lossOf (m: Model) = Loss.Mse(apply m.readout (layer.Apply(m.encoder, inputs).LastLayerHidden), targets)

// The same model written against the flat view, with the names ParamTree gives it.
let private flatLossOf (p: Params<float32>) =
    Loss.Mse(Linear.Apply(p.Select "readout.", layer.Apply(p.Select "encoder.", inputs).LastLayerHidden), targets)

let private bits (p: Params<float32>) = [ for KeyValue(name, t) in p -> name, t.ToArray() |> Array.map BitConverter.SingleToInt32Bits |> List.ofArray ]
let private sameBits (expected, actual) = Assert.True((bits expected = bits actual), "the tensors differ in names or bits")

type ``Parameter trees from F#`` () =

    [<Fact>]
    member _.``A record's flat view is named by field paths, with the layer's own names under its field`` () =
        let flat = ParamTree.ToParams<float32> start
        Assert.Equal<string>(
            [ "encoder.weight_ih_l0"; "encoder.weight_hh_l0"; "encoder.bias_ih_l0"; "encoder.bias_hh_l0"; "readout.weight"; "readout.bias" ],
            flat.Names)
        Assert.Same(start.readout.bias, flat.["readout.bias"])
        Assert.Equal(start, ParamTree.FromParams(start, flat))

    [<Fact>]
    member _.``Gradients over the record equal the flat path's bit for bit and come back as the record`` () =
        let tree = Grad.ValueAndGradTree(start, fun m -> lossOf m)
        let flat = Grad.ValueAndGrad(ParamTree.ToParams<float32> start, flatLossOf)
        Assert.Equal(flat.Value.Item, tree.Value.Item)
        sameBits (flat.Gradients, (ParamTree.ToParams<float32> tree.Gradients))
        Assert.Equal(8, tree.Gradients.hiddenSize)  // constants carried over from the model
        Assert.Equal<int[]>([| 1; 8 |], tree.Gradients.readout.weight.Shape.ToArray())
        sameBits ((ParamTree.ToParams<float32> tree.Gradients), (ParamTree.ToParams<float32> (Grad.GradientTree(start, lossOf))))

    [<Fact>]
    member _.``Adam over the record trains it, step for step the flat training, and it survives a checkpoint`` () =
        let optimizer = Optimizer.Adam(AdamOptions.Default.WithLearningRate 0.05)
        let step (m, s) =
            let g = Grad.ValueAndGradTree(m, lossOf)
            let next = optimizer.UpdateTree(m, g.Gradients, s)
            next.Parameters, next.State
        let trained, state = Seq.fold (fun acc _ -> step acc) (start, optimizer.InitTree<float32> start) [ 1 .. 15 ]
        Assert.Equal(15L, state.Step)
        Assert.True((lossOf trained).Item < 0.7f * (lossOf start).Item, sprintf "loss %f -> %f" (lossOf start).Item (lossOf trained).Item)

        let flatStart = ParamTree.ToParams<float32> start
        let flatStep (p, s) =
            let next = optimizer.Update(p, Grad.Gradient(p, flatLossOf), s)
            next.Parameters, next.State
        let flatTrained, _ = Seq.fold (fun acc _ -> flatStep acc) (flatStart, optimizer.Init flatStart) [ 1 .. 15 ]
        sameBits (flatTrained, (ParamTree.ToParams<float32> trained))

        let path = Path.Combine(Path.GetTempPath(), $"tree-{Guid.NewGuid():N}.safetensors")
        try
            Checkpoint.SaveTree(path, trained)
            Assert.Equal<string>(flatStart.Names, Checkpoint.ReadEntries path |> Seq.map (fun e -> e.Name))
            let loaded = Checkpoint.LoadTree(path, start)
            sameBits ((ParamTree.ToParams<float32> trained), (ParamTree.ToParams<float32> loaded))
            Assert.Equal(8, loaded.hiddenSize)
            Assert.Equal((lossOf trained).Item, (lossOf loaded).Item)
        finally
            File.Delete path

    [<Fact>]
    member _.``GradCheck runs on a record of doubles and names entries by path`` () =
        let tree = {| w = Tensor.RandomNormal<float>([| 3; 2 |], 1UL); b = Tensor.FromArray [| 0.1; -0.2 |] |}
        let x = Tensor.RandomNormal<float>([| 4; 3 |], 2UL)
        let result = GradCheck.RunTree(tree, fun t -> (tanh (x.MatMul t.w + t.b)).Sum())
        Assert.True(result.Passed, string result)
        Assert.Equal(8, result.Checked)

    [<Fact>]
    member _.``F# lists and maps inside a record are named by index and key and rebuilt as lists and maps`` () =
        let unit seed = { weight = Tensor.RandomNormal<float32>([| 2; 2 |], seed); bias = Tensor.Zeros<float32> 2 }
        let tree = {| layers = [ unit 1UL; unit 2UL ]; heads = Map [ "fr", unit 3UL; "de", unit 4UL ] |}
        let flat = ParamTree.ToParams<float32> tree
        Assert.Equal<string>(
            [ "heads.de.weight"; "heads.de.bias"; "heads.fr.weight"; "heads.fr.bias"; "layers.0.weight"; "layers.0.bias"; "layers.1.weight"; "layers.1.bias" ],
            flat.Names)
        Assert.Equal(tree, ParamTree.FromParams(tree, flat))
        let doubled = ParamTree.FromParams(tree, flat.Map(fun t -> t * 2.0f))
        Assert.Equal(2.0f * tree.heads.["fr"].weight.ToArray().[1], doubled.heads.["fr"].weight.ToArray().[1])

    [<Fact>]
    member _.``A misspelt name is refused naming the path and both spellings`` () =
        let flat = ParamTree.ToParams<float32> start
        let misspelt = Params.Create [ for KeyValue(name, t) in flat -> (if name = "readout.bias" then "readout.bais" else name), t ]
        let error = Assert.Throws<ArgumentException>(fun () -> ParamTree.FromParams(start, misspelt) |> ignore)
        Assert.Contains("missing: 'readout.bias' [1]", error.Message)
        Assert.Contains("not in the tree: 'readout.bais' [1]", error.Message)
