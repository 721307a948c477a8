/// The recurrent and Nn API called as an F# user writes it: F# lambdas for cells and callbacks, named optional arguments,
/// object-initializer syntax for options, no delegate constructors, no type annotations beyond what F# itself needs.
module Autograd.Rnn.FSharp.Tests.RecurrentTests

open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Autograd.Rnn

let private close (expected: Tensor<'T>) (actual: Tensor<'T>) =
    Assert.True(actual.AllClose(expected, 1e-9, 1e-12), sprintf "expected %O, got %O" expected actual)

/// The minimal gated unit (Zhou et al. 2016) as a plain F# function (parameters, h, x) -> h'.
let mgu (p: Params<'T>) (h: Tensor<'T>) (x: Tensor<'T>) =
    let f = Tensor.Sigmoid(Tensor.MatMulTransposeB(x, p.["w_f"]) + Tensor.MatMulTransposeB(h, p.["u_f"]) + p.["b_f"])
    let candidate = tanh (Tensor.MatMulTransposeB(x, p.["w_h"]) + Tensor.MatMulTransposeB(f * h, p.["u_h"]) + p.["b_h"])
    h + f * (candidate - h)

let mguParameters (inputs: int) (hidden: int) (seed: uint64) : Params<'T> =
    Params.Create [ "w_f", Init.PyTorchDefault<'T>([| hidden; inputs |], hidden, seed)
                    "u_f", Init.Orthogonal<'T>(hidden, hidden, seed + 1UL)
                    "b_f", Tensor.Zeros<'T> hidden
                    "w_h", Init.PyTorchDefault<'T>([| hidden; inputs |], hidden, seed + 2UL)
                    "u_h", Init.Orthogonal<'T>(hidden, hidden, seed + 3UL)
                    "b_h", Tensor.Zeros<'T> hidden ]

type ``Cells and states`` () =

    [<Fact>]
    member _.``An LSTM cell initialises, starts from zeros and steps`` () =
        let cell = Cells.Lstm<float32>()
        let p = cell.Initialize(3, 5, 42UL)
        Assert.Equal<string list>([ "weight_ih"; "weight_hh"; "bias_ih"; "bias_hh" ], List.ofSeq p.Names)
        Assert.Equal(Shape(20, 3), p.["weight_ih"].Shape)
        let state = cell.ZeroState(2, 5)
        Assert.Equal(2, state.Count)
        let next = cell.Step(p, state, Tensor.RandomNormal<float32>([| 2; 3 |], 1UL))
        Assert.Equal(Shape(2, 5), next.Hidden.Shape)
        Assert.Equal(Shape(2, 5), next.[1].Shape)
        // Named optional arguments of the cell factories.
        let gru = Cells.Gru<float>(variant = GruVariant.Cho, initialization = CellInitialization.Default.WithBias false)
        Assert.Equal<string list>([ "weight_ih"; "weight_hh" ], List.ofSeq (gru.Initialize(3, 4, 1UL)).Names)
        let rnn = Cells.Rnn<float>(Nonlinearity.Relu)
        Assert.Equal("RNN_RELU", rnn.Name)

    [<Fact>]
    member _.``RecurrentState is built with Of and read by Hidden, the indexer and as a sequence`` () =
        let h = Tensor.Ones<float>(2, 3)
        let c = Tensor.Zeros<float>(2, 3)
        let state = RecurrentState.Of(h, c)
        close h state.Hidden
        close c state.[1]
        close c state[1]
        Assert.Equal(2, Seq.length state)
        let doubled = state.Map(fun t -> 2.0 * t)
        close (2.0 * h) doubled.Hidden
        let summed = state.Zip(doubled, fun a b -> a + b)
        close (3.0 * h) summed.Hidden
        let single = RecurrentState.Of h
        Assert.Equal(1, single.Count)

    [<Fact>]
    member _.``A cell built from F# lambdas with Cell.FromFunction`` () =
        let cell = Cell.FromFunction("MGU", (fun p h x -> mgu p h x), (fun i h s -> mguParameters i h s))
        let p : Params<float> = cell.Initialize(2, 3, 5UL)
        let state = cell.Step(p, cell.ZeroState(4, 3), Tensor.RandomNormal<float>([| 4; 2 |], 6UL))
        close (mgu p (Tensor.Zeros<float>(4, 3)) (Tensor.RandomNormal<float>([| 4; 2 |], 6UL))) state.Hidden
        // Let-bound generic functions pass as the delegates directly.
        let named : Cell<float> = Cell.FromFunction("MGU", mgu, mguParameters)
        close state.Hidden (named.Step(p, named.ZeroState(4, 3), Tensor.RandomNormal<float>([| 4; 2 |], 6UL))).Hidden

    [<Fact>]
    member _.``An inline cell needs no type annotation: the initialiser fixes the element type`` () =
        // DESIGN.md's cell written inline; members of p, h and x are used before T is known.
        let cell =
            Cell.FromFunction("myCell",
                (fun p h x ->
                    let z = Tensor.Sigmoid(x.MatMul p.["w_z"] + h.MatMul p.["u_z"] + p.["b_z"])
                    let c = tanh (x.MatMul p.["w_c"] + (z * h).MatMul p.["u_c"])
                    (1.0f - z) * h + z * c),
                (fun i h s -> Params.Create [ "w_z", Tensor.RandomNormal<float32>([| i; h |], s, standardDeviation = 0.5)
                                              "u_z", Init.Orthogonal<float32>(h, h, s + 1UL)
                                              "b_z", Tensor.Zeros<float32> h
                                              "w_c", Tensor.RandomNormal<float32>([| i; h |], s + 2UL, standardDeviation = 0.5)
                                              "u_c", Init.Orthogonal<float32>(h, h, s + 3UL) ]))
        Assert.Equal(1, cell.StateParts)
        let layer = RecurrentLayer<float32>(cell, 2, 3)
        let run = layer.Apply(layer.Initialize 1UL, Tensor.RandomNormal<float32>([| 4; 2; 2 |], 2UL))
        Assert.Equal(Shape(4, 2, 3), run.Output.Shape)

    [<Fact>]
    member _.``A cell with two state tensors from an F# lambda, without naming the delegate`` () =
        let step (p: Params<float>) (state: RecurrentState<float>) (x: Tensor<float>) =
            let h = tanh (x.MatMul p.["w"] + state.Hidden.MatMul p.["u"] + state.[1])
            RecurrentState.Of(h, 0.5 * state.[1] + h)
        let cell = Cell<float>("leaky", (fun p s x -> step p s x),
                               (fun i h s -> Params.Create [ "w", Tensor.RandomNormal<float>([| i; h |], s)
                                                             "u", Tensor.RandomNormal<float>([| h; h |], s + 1UL) ]),
                               stateParts = 2)
        let p = cell.Initialize(2, 3, 1UL)
        let inputs = Tensor.RandomNormal<float>([| 4; 2; 2 |], 2UL)
        let run = Recurrence.Scan(cell, p, cell.ZeroState(2, 3), inputs)
        Assert.Equal(Shape(4, 2, 3), run.Outputs.Shape)
        Assert.Equal(2, run.FinalState.Count)
        // The same unroll as an F# fold over the steps, and the same cell from the let-bound function directly.
        let folded = Tensor.Unstack(inputs, 0) |> Array.fold (fun s x -> cell.Step(p, s, x)) (cell.ZeroState(2, 3))
        close run.FinalState.[1] folded.[1]
        let direct = Cell<float>("leaky", step, (fun i h s -> cell.Initialize(i, h, s)), stateParts = 2)
        close run.FinalState.Hidden (Recurrence.Scan(direct, p, direct.ZeroState(2, 3), inputs)).FinalState.Hidden
        // A cell with an input projection, given by name.
        let projected =
            Cell<float>("projected", (fun p s x -> RecurrentState.Of(tanh (x + s.Hidden.MatMul p.["u"]), s.[1])),
                        (fun i h s -> cell.Initialize(i, h, s)), stateParts = 2, inputProjection = (fun p x -> x.MatMul p.["w"]))
        Assert.NotNull(projected.InputProjection)
        Assert.Equal(Shape(4, 2, 3), (Recurrence.Scan(projected, p, projected.ZeroState(2, 3), inputs)).Outputs.Shape)

type ``Unrolling`` () =

    [<Fact>]
    member _.``Recurrence.Scan runs a built-in cell and the plain-function overload runs an F# function`` () =
        let cell = Cells.Lstm<float>()
        let p = cell.Initialize(2, 3, 7UL)
        let inputs = Tensor.RandomNormal<float>([| 5; 4; 2 |], 8UL)
        let run = Recurrence.Scan(cell, p, cell.ZeroState(4, 3), inputs)
        Assert.Equal(Shape(5, 4, 3), run.Outputs.Shape)
        Assert.Equal(5, run.StepStates.Count)
        close run.StepStates.[4].Hidden run.FinalState.Hidden
        // The plain-function overload: a let-bound F# function, then an inline F# lambda.
        let q : Params<float> = mguParameters 2 3 9UL
        let h0 = Tensor.Zeros<float>(4, 3)
        let a = Recurrence.Scan(mgu, q, h0, inputs)
        let b = Recurrence.Scan((fun p h x -> mgu p h x), q, h0, inputs, lengths = [| 5; 5; 5; 5 |])
        close a.Outputs b.Outputs
        let c = Recurrence.Scan((fun p h x -> tanh (Tensor.MatMulTransposeB(x, p.["w_h"]) + h)), q, h0, inputs, reverse = true)
        Assert.Equal(Shape(5, 4, 3), c.Outputs.Shape)

type ``Layers and Nn`` (output: ITestOutputHelper) =

    [<Fact>]
    member _.``A two-layer bidirectional LSTM layer with object-initializer options and named arguments`` () =
        let layer = RecurrentLayer.Lstm<float>(4, 3, RecurrentLayerOptions(NumLayers = 2, Bidirectional = true))
        let same = RecurrentLayer.Lstm<float>(4, 3, RecurrentLayerOptions.Default.WithNumLayers(2).WithBidirectional(true))
        Assert.Equal(layer.Options, same.Options)
        let p = layer.Initialize 7UL
        Assert.Contains("weight_ih_l1_reverse", p.Names)
        let x = Tensor.RandomNormal<float>([| 6; 3; 4 |], 8UL)
        let result = layer.Apply(p, x, lengths = [| 6; 2; 4 |])
        Assert.Equal(Shape(6, 3, 6), result.Output.Shape)
        Assert.Equal(Shape(4, 3, 3), result.FinalHidden.Shape)
        Assert.Equal(Shape(4, 3, 3), result.FinalCell.Shape)
        Assert.Equal(Shape(3, 6), result.LastLayerHidden.Shape)
        // The encoder's final states start another run, by name; an F# list of states works as well.
        let again = layer.Apply(p, x, initialStates = result.FinalStates)
        Assert.Equal(Shape(6, 3, 6), again.Output.Shape)
        let zero = layer.Cell.ZeroState(3, 3)
        close result.Output (layer.Apply(p, x, lengths = [| 6; 2; 4 |], initialStates = [ zero; zero; zero; zero ])).Output
        // Cell initialisation by object initializer (a nullable property takes a plain float) or by With… methods.
        let forget = RecurrentLayer.Lstm<float>(4, 3, initialization = CellInitialization(ForgetGateBias = 1.0, Bias = true))
        let forget' = RecurrentLayer.Lstm<float>(4, 3, initialization = CellInitialization.Default.WithForgetGateBias 1.0)
        close (forget.Initialize 3UL).["bias_ih_l0"] (forget'.Initialize 3UL).["bias_ih_l0"]
        let batchFirst = RecurrentLayer.Gru<float>(4, 3, RecurrentLayerOptions(BatchFirst = true), variant = GruVariant.Cho)
        Assert.Equal(Shape(3, 6, 3), (batchFirst.Apply(batchFirst.Initialize 1UL, Tensor.Transpose(x, 0, 1))).Output.Shape)

    [<Fact>]
    member _.``Linear, Tensor.Linear, Embedding, the losses and Init from F#`` () =
        let readout = Linear.Init<float>(3, 5, 1UL)
        let noBias = Linear.Init<float>(3, 5, 1UL, bias = false)
        Assert.Equal(1, noBias.Count)
        let h = Tensor.RandomNormal<float>([| 2; 4; 3 |], 2UL)
        let logits = Linear.Apply(readout, h)
        Assert.Equal(Shape(2, 4, 5), logits.Shape)
        close logits (Tensor.Linear(h, readout.["weight"], readout.["bias"]))
        let rows = h.Reshape(8, 3)
        close (Tensor.MatMulTransposeB(rows, readout.["weight"])) (Tensor.Linear(rows, readout.["weight"]))
        let table = Embedding.Init<float>(10, 3, 3UL)
        let embedded = Embedding.Apply(table, [| 1; 2; 3; 4; 5; 6; 7; 8 |], 2, 4)
        Assert.Equal(Shape(2, 4, 3), embedded.Shape)
        let targets = [| 0; 1; 2; 3; 4; 0; 1; 2 |]
        let mask = [| true; true; true; false; true; true; false; true |]
        let masked = Loss.CrossEntropy(logits, targets, Reduction.Sum, mask = mask)
        let ignored = Loss.CrossEntropy(logits, Array.map2 (fun t m -> if m then t else -100) targets mask, Reduction.Sum)
        Assert.Equal(masked.Item, ignored.Item, 12)
        let perRow = Loss.CrossEntropy(logits, targets, reduction = Reduction.None)
        Assert.Equal(Shape(2, 4), perRow.Shape)
        let mse = Loss.Mse(logits, Tensor.ZerosLike logits)
        Assert.Equal((logits * logits).Mean().Item, mse.Item, 12)
        let q = Init.Orthogonal<float>(4, 4, 5UL)
        close (Tensor.Eye<float> 4) (Tensor.MatMulTransposeB(q, q))
        let scaled = Init.Orthogonal<float>(4, 4, 5UL, gain = 2.0)
        close (2.0 * q) scaled

    [<Fact>]
    member _.``Generation.Sample takes F# lambdas for the embedding and the readout`` () =
        let cell = Cells.Gru<float32>()
        let p = cell.Initialize(3, 4, 1UL)
        let table = Embedding.Init<float32>(6, 3, 2UL)
        let readout = Linear.Init<float32>(4, 6, 3UL)
        let sample temperature seed =
            Generation.Sample(cell, p, cell.ZeroState(1, 4), 0, 10, (fun token -> Embedding.Apply(table, [| token |])),
                              (fun h -> Linear.Apply(readout, h)), temperature, seed)
        let tokens = sample 0.8 1UL
        Assert.Equal(10, tokens.Length)
        Assert.All(tokens, fun t -> Assert.InRange(t, 0, 5))
        Assert.Equal<int[]>(tokens, sample 0.8 1UL)
        Assert.Equal<int[]>(sample 0.0 1UL, sample 0.0 2UL) // greedy ignores the seed

    [<Fact>]
    member _.``GradCheck passes a two-layer bidirectional LSTM over a padded batch, with a readout and a masked loss`` () =
        let layer = RecurrentLayer.Lstm<float>(2, 3, RecurrentLayerOptions(NumLayers = 2, Bidirectional = true))
        let parameters =
            layer.Initialize(11UL)
                .Concat(Linear.Init<float>(6, 4, 12UL).WithPrefix "readout.")
                .Add("input", Tensor.RandomNormal<float>([| 3; 2; 2 |], 13UL))
        let lengths = [| 3; 2 |]
        let check =
            GradCheck.Run(parameters, fun p ->
                let run = layer.Apply(p, p.["input"], lengths = lengths)
                let logits = Linear.Apply(p.Select "readout.", run.Output)
                Loss.CrossEntropy(logits, [| 0; 1; 2; 3; 1; 0 |], Reduction.Sum, mask = [| true; true; true; true; true; false |])
                + Loss.Mse(run.LastLayerHidden, Tensor.Ones<float>(2, 6)))
        output.WriteLine(string check)
        Assert.True(check.Passed, string check)

/// A problem for the recurrent properties: small sizes, a sequence length, per-sequence lengths, and a seed.
type Sequences = { Batch: int; Inputs: int; Hidden: int; Steps: int; Lengths: int[]; Seed: uint64 }

type RecurrentArbitraries =
    static member Sequences() : Arbitrary<Sequences> =
        gen {
            let! batch = Gen.choose (1, 3)
            let! inputs = Gen.choose (1, 3)
            let! hidden = Gen.choose (1, 3)
            let! steps = Gen.choose (1, 4)
            let! lengths = Gen.arrayOfLength batch (Gen.choose (1, steps))
            let! seed = Gen.choose (0, System.Int32.MaxValue)
            return { Batch = batch; Inputs = inputs; Hidden = hidden; Steps = steps; Lengths = lengths; Seed = uint64 seed }
        }
        |> Arb.fromGen

[<Properties(Arbitrary = [| typeof<RecurrentArbitraries> |], MaxTest = 30)>]
module RecurrentLaws =

    let private mguCell () = Cell.FromFunction("MGU", (fun p h x -> mgu p h x), (fun i h s -> mguParameters i h s))

    [<Property>]
    let ``An F# cell's unrolled gradient matches finite differences`` (s: Sequences) =
        let cell : Cell<float> = mguCell ()
        let parameters =
            cell.Initialize(s.Inputs, s.Hidden, s.Seed)
                .Add("input", Tensor.RandomNormal<float>([| s.Steps; s.Batch; s.Inputs |], s.Seed + 1UL))
                .Add("h0", Tensor.RandomNormal<float>([| s.Batch; s.Hidden |], s.Seed + 2UL, standardDeviation = 0.5))
        let check =
            GradCheck.Run(parameters, fun p ->
                let run = Recurrence.Scan(cell, p, RecurrentState.Of p.["h0"], p.["input"], lengths = s.Lengths)
                (run.Outputs * run.Outputs).Sum() + run.FinalState.Hidden.Sum())
        check.Passed |> Prop.label (string check)

    [<Property>]
    let ``A masked sequence's final state equals running it alone`` (s: Sequences) (reverse: bool) =
        let cell = Cells.Lstm<float>()
        let p = cell.Initialize(s.Inputs, s.Hidden, s.Seed)
        let inputs = Tensor.RandomNormal<float>([| s.Steps; s.Batch; s.Inputs |], s.Seed + 1UL)
        let batch = Recurrence.Scan(cell, p, cell.ZeroState(s.Batch, s.Hidden), inputs, lengths = s.Lengths, reverse = reverse)
        let mismatched =
            [ for b in 0 .. s.Batch - 1 do
                let alone = Tensor.Narrow(Tensor.Narrow(inputs, 1, b, 1), 0, 0, s.Lengths.[b])
                let run = Recurrence.Scan(cell, p, cell.ZeroState(1, s.Hidden), alone, reverse = reverse)
                let same =
                    Seq.forall2 (fun (mine: Tensor<float>) (theirs: Tensor<float>) ->
                                    Tensor.Narrow(mine, 0, b, 1).AllClose(theirs, 1e-12, 1e-14))
                                batch.FinalState run.FinalState
                if not same then yield b ]
        List.isEmpty mismatched
        |> Prop.label (sprintf "sequences %A of lengths %A (of %d steps, reverse %b) differ from their runs alone" mismatched s.Lengths s.Steps reverse)

    [<Property(MaxTest = 15)>]
    let ``A bidirectional layer of the F# cell passes GradCheck over a padded batch`` (s: Sequences) (batchFirst: bool) =
        let layer = RecurrentLayer<float>(mguCell (), s.Inputs, s.Hidden, RecurrentLayerOptions(Bidirectional = true, BatchFirst = batchFirst))
        let shape = if batchFirst then [| s.Batch; s.Steps; s.Inputs |] else [| s.Steps; s.Batch; s.Inputs |]
        let parameters = layer.Initialize(s.Seed).Add("input", Tensor.RandomNormal<float>(shape, s.Seed + 1UL))
        let check =
            GradCheck.Run(parameters, fun p ->
                let run = layer.Apply(p, p.["input"], lengths = s.Lengths)
                Loss.Mse(run.Output, Tensor.ZerosLike run.Output, Reduction.Sum) + run.LastLayerHidden.Sum())
        check.Passed |> Prop.label (string check)

type ``Compiled functions from F#`` () =

    [<Fact>]
    member _.``Compile.Function takes an F# lambda and gives the eager bits, and Compile.Eagerly is a use scope`` () =
        let p = mguParameters 3 4 7UL : Params<float32>
        let step = Compile.Function(fun (h: Tensor<float32>) (x: Tensor<float32>) -> mgu p h x)
        let h = Tensor.RandomNormal<float32>([| 2; 4 |], 1UL)
        let x = Tensor.RandomNormal<float32>([| 2; 3 |], 2UL)
        step.Invoke(h, x) |> ignore
        let planned = step.Invoke(h, x)
        let eager =
            use _ = Compile.Eagerly()
            mgu p h x
        Assert.Equal<float32[]>(eager.ToArray(), planned.ToArray())

    [<Fact>]
    member _.``A compiled F# function trains under Grad.ValueAndGrad with the eager gradients`` () =
        let layerNorm =
            Compile.Function(fun (p: Params<float>) (x: Tensor<float>) ->
                Tensor.LayerNorm(Tensor.MatMulTransposeB(x, p.["w"]), p.["gain"], p.["bias"]))
        let p =
            Params<float>.Empty
                .Add("w", Tensor.RandomNormal<float>([| 6; 3 |], 1UL))
                .Add("gain", Tensor.RandomNormal<float>([| 6 |], 2UL))
                .Add("bias", Tensor.RandomNormal<float>([| 6 |], 3UL))
        let x = Tensor.RandomNormal<float>([| 5; 3 |], 4UL)
        let loss (q: Params<float>) = (tanh (layerNorm.Invoke(q, x))).Sum()
        let viaPlan = [ for _ in 1..3 -> Grad.ValueAndGrad(loss, p) ]
        let eager =
            use _ = Compile.Eagerly()
            Grad.ValueAndGrad(loss, p)
        for r in viaPlan do
            Assert.Equal(eager.Value.Item, r.Value.Item)
            for name in eager.Gradients.Names do
                Assert.True(r.Gradients.[name].AllClose(eager.Gradients.[name], 1e-12, 1e-13), name)
