// A character-level LSTM language model of Moby-Dick with the training loop written in F#: truncated BPTT over
// parallel streams of text, Adam with gradient clipping, a safetensors checkpoint round trip, and sampling.
// A smaller cousin of examples/CharRnn.
//
//   dotnet build src/Autograd.Rnn -c Release
//   dotnet fsi examples/fsharp/charrnn.fsx            (about 10 seconds)
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

// The baseline: each held-out character predicted by its training frequency (add-one smoothed), in bits per character.
let unigram =
    let counts = Array.zeroCreate<float> vocabulary.Length
    for t in training do counts.[t] <- counts.[t] + 1.0
    let total = Array.sum counts + float counts.Length
    heldOut |> Array.averageBy (fun t -> -Math.Log2((counts.[t] + 1.0) / total))
printfn "unigram baseline %.3f bits/char" unigram
if quick then
    printfn "quick mode: %d chunks of a tiny model check that the whole path runs; it is not expected to beat the unigram baseline (%.3f bits/char)" chunks unigram

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
printfn "held-out: %.3f -> %.3f bits/char (unigram baseline %.3f)" before after unigram

// Checkpoint round trip in a folder of this run's own (reruns and concurrent runs never collide), removed at the end.
let folder = Path.Combine(Path.GetTempPath(), $"autograd-rnn-charrnn-fsx-{Guid.NewGuid():N}")
let path = Path.Combine(Directory.CreateDirectory(folder).FullName, "charrnn.safetensors")
Checkpoint.Save(path, parameters, readOnlyDict [ ("vocabulary", String(vocabulary)) ])
let loaded = Checkpoint.Load(path, parameters)
printfn "checkpoint %s: %d bytes, reloaded" path (FileInfo(path).Length)
Directory.Delete(folder, true)

// Sample from the reloaded parameters with temperature 0.8. Training carried the state from chunk to chunk and never
// started from zeros, so the sampler first reads a real passage (the prompt: the start of the held-out pages) and
// generates from the state it leaves; sampling from a zero state gives a couple of hundred characters of noise.
let promptText =
    let pages = text.Substring(text.Length - window / 4)
    let stop = pages.IndexOf(". ", min 500 (pages.Length - 1))
    if stop < 0 then pages else pages.Substring(0, stop + 2)
let promptLogits, promptStates = forward loaded 1 (encode promptText) (zero 1)
let uniform = (Tensor.RandomUniform<float>([| 200 |], 3UL)).ToArray()
let mutable last, sampleStates, sample = Tensor.Narrow(promptLogits, 0, promptText.Length - 1, 1).Reshape(-1), promptStates, ""
for i in 0 .. 199 do
    let token = Generation.Choose(last, 0.8, uniform.[i])
    sample <- sample + string vocabulary.[token]
    let logits, next = forward loaded 1 [| token |] sampleStates
    last <- logits.Reshape(-1)
    sampleStates <- next
let indent (s: string) = "  | " + s.Replace("\n", "\n  | ")
printfn "prompt: %d characters of held-out text, read first to warm the state up (its end shown):" promptText.Length
printfn "%s" (indent ("…" + promptText.Substring(max 0 (promptText.Length - 200)).TrimEnd()))
printfn "generated (200 characters, temperature 0.8):\n%s" (indent sample)
if not quick && not (after < before - 1.0 && after < unigram) then
    printfn "held-out loss did not fall below the unigram baseline"
    exit 1
