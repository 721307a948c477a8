// The vanishing-gradient lesson, small and in F#: a tanh RNN and an LSTM of the same size learn to recall the first
// symbol of a sequence after T distractor symbols (many-to-one). The training loop is written here: Grad.ValueAndGrad,
// Clip.ByGlobalNorm and a pure Adam step. The script prints test accuracy, and how ‖∂L/∂h_t‖ — the gradient of the loss
// at the end with respect to the hidden state at step t — fades going back in time. The C# example examples/Memory
// does the same for growing T, with a GRU too, and draws plots.
//
//   dotnet build src/Autograd.Rnn.FSharp -c Release      (the F# companion, for x.[t, *]; builds the library too)
//   dotnet fsi examples/fsharp/memory.fsx            (T = 30, 400 steps: about 10 seconds)
//   dotnet fsi examples/fsharp/memory.fsx --quick    (T = 10, 40 steps: what CI runs)

#r "nuget: System.Numerics.Tensors, 10.0.0" // the library's one dependency: a class library's build output does not include it
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#r "../../src/Autograd.Rnn.FSharp/bin/Release/net10.0/Autograd.Rnn.FSharp.dll"

open Autograd.Rnn
open Autograd.Rnn.FSharp

let quick = fsi.CommandLineArgs |> Array.contains "--quick"
let distractorSteps, trainingSteps = if quick then 10, 40 else 30, 400
let classes, distractors, embeddingSize, hiddenSize, batchSize = 4, 8, 8, 24, 32

/// SplitMix64: a small seeded generator, so the data are the same on every run.
type SplitMix(seed: uint64) =
    let mutable state = seed
    member _.Next(count: int) =
        state <- state + 0x9E3779B97F4A7C15UL
        let z = (state ^^^ (state >>> 30)) * 0xBF58476D1CE4E5B9UL
        let z = (z ^^^ (z >>> 27)) * 0x94D049BB133111EBUL
        int ((z ^^^ (z >>> 31)) % uint64 count)

/// A batch, time-major: tokens.[t * size + b]. Symbol 0 is a class (0..K−1), the next T are distractors (K..K+D−1).
type Batch = { Tokens: int[]; Labels: int[]; Time: int; Size: int }

let sample (random: SplitMix) size =
    let time = distractorSteps + 1
    let labels = Array.init size (fun _ -> random.Next classes)
    let tokens = Array.init (time * size) (fun i -> if i < size then labels.[i] else classes + random.Next distractors)
    { Tokens = tokens; Labels = labels; Time = time; Size = size }

/// Embedding → cell → linear readout of the last hidden state.
type Model(name: string, cell: Cell<float32>) =
    member _.Name = name
    member _.Cell = cell
    member _.Initialize(seed: uint64) =
        Embedding.Init<float32>(classes + distractors, embeddingSize, seed).WithPrefix("embedding.")
            .Concat(cell.Initialize(embeddingSize, hiddenSize, seed + 1UL).WithPrefix("cell."))
            .Concat(Linear.Init<float32>(hiddenSize, classes, seed + 10UL).WithPrefix("readout."))
    member _.Embed(p: Params<float32>, batch: Batch) = Embedding.Apply(p.Select "embedding.", batch.Tokens, batch.Time, batch.Size)
    member this.Logits(p: Params<float32>, batch: Batch) =
        let run = Recurrence.Scan(cell, p.Select "cell.", cell.ZeroState(batch.Size, hiddenSize), this.Embed(p, batch))
        Linear.Apply(p.Select "readout.", run.FinalState.Hidden)
    member this.Loss(p, batch) = Loss.CrossEntropy(this.Logits(p, batch), batch.Labels)
    member this.Accuracy(p, batch) =
        let logits = this.Logits(p, batch).ToArray()
        let predicted b = [ 0 .. classes - 1 ] |> List.maxBy (fun k -> logits.[b * classes + k])
        float (Seq.sumBy (fun b -> if predicted b = batch.Labels.[b] then 1 else 0) [ 0 .. batch.Size - 1 ]) / float batch.Size
    /// ‖∂L/∂h_t‖ for every t, L the cross-entropy read out after the last step.
    member this.GradientNorms(p: Params<float32>, batch: Batch) =
        let readout = p.Select "readout."
        let probe = GradientProbe.HiddenStateGradients(cell, p.Select "cell.", cell.ZeroState(batch.Size, hiddenSize), this.Embed(p, batch),
                                                       fun outputs -> Loss.CrossEntropy(Linear.Apply(readout, outputs.[batch.Time - 1, *]), batch.Labels))
        probe.Norms

// PyTorch's initialisation, except the LSTM's forget gate, which starts open at σ(4) ≈ 0.98 so the cell remembers by default.
let models =
    [ Model("RNN", Cells.Rnn<float32>(Nonlinearity.Tanh))
      Model("LSTM", Cells.Lstm<float32>(CellInitialization.Default.WithForgetGateBias 4.0)) ]

let test = sample (SplitMix 2UL) 500
let probeBatch = sample (SplitMix 3UL) 64
let options = AdamOptions.Default.WithLearningRate 5e-3

printfn "Recall the first of %d symbols (%d classes, chance %.0f%%): %d training steps of batch %d%s"
    (distractorSteps + 1) classes (100.0 / float classes) trainingSteps batchSize (if quick then " (quick)" else "")

let train (model: Model) =
    let random = SplitMix 1UL // the same training batches for both models
    let mutable parameters = model.Initialize 7UL
    let mutable adam = Adam.Init parameters
    for step in 1 .. trainingSteps do
        let batch = sample random batchSize
        let result = Grad.ValueAndGrad(parameters, fun p -> model.Loss(p, batch))
        let clipped = Clip.ByGlobalNorm(result.Gradients, 1.0)
        let next = Adam.Step(parameters, clipped.Gradients, adam, options)
        parameters <- next.Parameters
        adam <- next.State
        if step % (trainingSteps / 4) = 0 then printfn "  %-4s step %3d  loss %.3f" model.Name step result.Value.Item
    parameters

let results =
    [ for model in models ->
        let initial = model.Initialize 7UL
        let before = model.GradientNorms(initial, probeBatch)
        let trained = train model
        model, model.Accuracy(trained, test), before, model.GradientNorms(trained, probeBatch) ]

printfn ""
for model, accuracy, _, _ in results do
    printfn "%-4s test accuracy %5.1f%%" model.Name (100.0 * accuracy)
if quick then
    printfn "quick mode: %d steps at T = %d check that the whole path runs; the baseline is chance (%.0f%%), and quick runs are not expected to beat it reliably" trainingSteps distractorSteps (100.0 / float classes)

// Norms below ~1e-19 are not resolved: the probe squares float gradients, and their squares leave float's range.
let shown = [ 0 .. distractorSteps / 5 .. distractorSteps ] @ [ distractorSteps ] |> List.distinct
printfn ""
printfn "log10 ‖∂L/∂h_t‖ (L read out after step %d):" distractorSteps
printfn "  %-14s%s" "" (shown |> List.map (sprintf "t=%d") |> List.map (sprintf "%7s") |> String.concat "")
for model, _, before, after in results do
    for stage, norms in [ "init", before; "trained", after ] do
        printfn "  %-14s%s" (model.Name + ", " + stage) (shown |> List.map (fun t -> sprintf "%7.1f" (log10 norms.[t])) |> String.concat "")
