// A character-level LSTM language model of Moby-Dick with the training loop written in F#: truncated BPTT over
// parallel streams of text, Adam with gradient clipping, a safetensors checkpoint round trip, and sampling.
// A smaller cousin of examples/CharRnn.
//
//   dotnet build src/Autograd.Rnn -c Release
//   dotnet fsi examples/fsharp/charrnn.fsx            (about a minute)
//   dotnet fsi examples/fsharp/charrnn.fsx --quick    (seconds)

#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"

open System
open System.IO
open Autograd.Rnn

let quick = fsi.CommandLineArgs |> Array.contains "--quick"
let hidden, batch, steps, window, chunks = if quick then 16, 4, 12, 2_000, 8 else 64, 16, 32, 200_000, 120

let text = File.ReadAllText(Path.Combine(__SOURCE_DIRECTORY__, "..", "data", "moby-dick.txt")).Replace("\r\n", "\n")
let vocabulary = text |> Seq.distinct |> Seq.sort |> Array.ofSeq
let index = vocabulary |> Array.mapi (fun i c -> c, i) |> dict
let encode (s: string) = s |> Seq.map (fun c -> index.[c]) |> Array.ofSeq
let training = encode (text.Substring(0, window))
let heldOut = encode (text.Substring(text.Length - window / 4)) // the book's last pages
printfn "vocabulary %d, %d training characters, %d held out" vocabulary.Length training.Length heldOut.Length

let layer = RecurrentLayer.Lstm<float32>(vocabulary.Length, hidden)
let oneHot = Tensor.Eye<float32> vocabulary.Length
let initial =
    layer.Initialize(1UL).Concat((Linear.Init<float32>(hidden, vocabulary.Length, 2UL)).WithPrefix("readout."))

/// tokens laid out [time, streams] (time-major) -> logits [time, streams, vocabulary] and the final states.
let forward (p: Params<float32>) streams (tokens: int[]) (states: RecurrentState<float32> list) =
    let x = Tensor.GatherRows(oneHot, tokens, [| tokens.Length / streams; streams |])
    let run = layer.Apply(p, x, initialStates = states)
    Linear.Apply(p.Select "readout.", run.Output), List.ofSeq run.FinalStates

/// Chunk c of `batch` parallel streams over the tokens: inputs and next-character targets, time-major.
let chunk (tokens: int[]) c =
    let streamLength = (tokens.Length - 1) / batch
    let start = (c * steps) % (streamLength - steps)
    let at t b = b * streamLength + start + t
    Array.init (steps * batch) (fun i -> tokens.[at (i / batch) (i % batch)]),
    Array.init (steps * batch) (fun i -> tokens.[at (i / batch) (i % batch) + 1])

let zero streams = [ layer.Cell.ZeroState(streams, hidden) ]
let bits (loss: Tensor<float32>) = float loss.Item / Math.Log 2.0

let heldOutBits (p: Params<float32>) =
    let inputs, targets = chunk heldOut 0
    bits (Loss.CrossEntropy(fst (forward p batch inputs (zero batch)), targets))

let adam = AdamOptions.Default.WithLearningRate 1e-2
let mutable parameters = initial
let mutable optimizer = Adam.Init(parameters, adam)
let mutable states = zero batch
let before = heldOutBits parameters
let clock = Diagnostics.Stopwatch.StartNew()
for c in 0 .. chunks - 1 do
    let inputs, targets = chunk training c
    let carried = states
    let mutable final = carried
    let result =
        Grad.ValueAndGrad(parameters, fun p ->
            let logits, finalStates = forward p batch inputs carried
            final <- finalStates
            Loss.CrossEntropy(logits, targets))
    // Truncated BPTT: the next chunk starts from this chunk's final state, as a constant.
    states <- final |> List.map (fun s -> s.Map(fun t -> Tensor.StopGradient t))
    let step = Adam.Step(parameters, (Clip.ByGlobalNorm(result.Gradients, 1.0)).Gradients, optimizer, adam)
    parameters <- step.Parameters
    optimizer <- step.State
    if (c + 1) % (chunks / 4) = 0 then
        printfn "chunk %d/%d  training %.3f bits/char  %.0f chars/s" (c + 1) chunks (bits result.Value)
            (float ((c + 1) * steps * batch) / clock.Elapsed.TotalSeconds)
let after = heldOutBits parameters
printfn "held-out: %.3f -> %.3f bits/char" before after

// Checkpoint round trip, then sample from the reloaded parameters with temperature 0.8.
let path = Path.Combine(Path.GetTempPath(), "autograd-rnn-charrnn-fsx.safetensors")
Checkpoint.Save(path, parameters, readOnlyDict [ "vocabulary", String(vocabulary) ])
let loaded = Checkpoint.Load(path, parameters)
let uniform = (Tensor.RandomUniform<float>([| 200 |], 3UL)).ToArray()
let mutable token, sampleStates, sample = index.['T'], zero 1, "T"
for i in 0 .. 199 do
    let logits, next = forward loaded 1 [| token |] sampleStates
    token <- Generation.Choose(logits.Reshape(-1), 0.8, uniform.[i])
    sampleStates <- next
    sample <- sample + string vocabulary.[token]
printfn "sample:\n%s" sample
if not quick && after >= before - 1.0 then
    printfn "held-out loss did not fall"
    exit 1
