// A smaller version of examples/TimeSeries part (a), with the training loop written in F#: forecast tomorrow's US
// births (CDC/NCHS, 1969–1988) from the previous four weeks with a GRU (many-to-one), trained with Adam and gradient
// clipping on 1969–1984, and compare its test RMSE on 1987–1988 with the seasonal-naive forecast y[t] = y[t-7].
//
//   dotnet build src/Autograd.Rnn -c Release
//   dotnet fsi examples/fsharp/timeseries.fsx [--quick] [--seed N]
//
// --quick runs a few seconds with tiny sizes (CI) and does not check the result; otherwise the script exits with 1
// when the model does not beat the seasonal-naive forecast.

#r "nuget: System.Numerics.Tensors, 10.0.0" // the library's one dependency: a class library's build output does not include it
#r "../../src/Autograd.Rnn/bin/Release/net10.0/Autograd.Rnn.dll"
#load "shared/ScriptArgs.fsx" // --quick, --seed N, and the data sets in examples/data

open System
open System.IO
open Autograd.Rnn
open ScriptArgs

// Sizes: quick mode is the same code with tiny numbers.
let window, hidden, steps, batchSize, learningRate =
    if quick then 14, 8, 25, 32, 1e-2 else 28, 24, 1000, 128, 5e-3

// ---- Data: examples/data, found by ScriptArgs.dataFile.
let rows =
    File.ReadLines(dataFile "us-births-1969-1988.csv")
    |> Seq.skip 1
    |> Seq.filter (fun line -> line.Length > 0)
    |> Seq.map (fun line ->
        let f = line.Split ','
        DateOnly(int f.[0], int f.[1], int f.[2]), float f.[4])
    |> Seq.toArray
let dates = rows |> Array.map fst
let counts = rows |> Array.map snd
let firstDayOf year = dates |> Array.findIndex (fun d -> d.Year >= year)
let trainEnd, testStart = firstDayOf 1985, firstDayOf 1987

// log(births), standardised with the training years' mean and standard deviation.
let logs = counts |> Array.map log
let mean = Array.average logs.[.. trainEnd - 1]
let deviation = sqrt (logs.[.. trainEnd - 1] |> Array.averageBy (fun v -> (v - mean) ** 2.0))
let normalised = logs |> Array.map (fun v -> float32 ((v - mean) / deviation))
let toCount (z: float32) = exp (float z * deviation + mean)

/// US federal holidays on fixed rules (New Year, Memorial Day, Independence Day, Labor Day, Thanksgiving, Christmas).
let isHoliday (d: DateOnly) =
    match d.Month, d.Day with
    | 1, 1 | 7, 4 | 12, 25 -> true
    | 5, day when day > 24 -> d.DayOfWeek = DayOfWeek.Monday
    | 9, day when day <= 7 -> d.DayOfWeek = DayOfWeek.Monday
    | 11, day when day >= 22 && day <= 28 -> d.DayOfWeek = DayOfWeek.Thursday
    | _ -> false

/// The step for day d reads its value and the calendar of day d + 1 (known in advance): weekday and day of year as
/// sin/cos pairs, and a holiday flag.
let features = 6
let writeFeatures (day: int) (destination: float32[]) (offset: int) =
    let next = dates.[day].AddDays 1
    let weekday = 2.0 * Math.PI * float (int next.DayOfWeek) / 7.0
    let season = 2.0 * Math.PI * float (next.DayOfYear - 1) / 365.25
    destination.[offset] <- normalised.[day]
    destination.[offset + 1] <- float32 (sin weekday)
    destination.[offset + 2] <- float32 (cos weekday)
    destination.[offset + 3] <- float32 (sin season)
    destination.[offset + 4] <- float32 (cos season)
    destination.[offset + 5] <- if isHoliday next then 1.0f else 0.0f

/// The windows before each target day, time-major: [window, batch, features].
let inputs (days: int[]) =
    let values = Array.zeroCreate<float32> (window * days.Length * features)
    for k in 0 .. window - 1 do
        days |> Array.iteri (fun b t -> writeFeatures (t - window + k) values ((k * days.Length + b) * features))
    Tensor.FromArray(values, window, days.Length, features)

let targetDays from until = [| max from window .. until - 1 |]
let trainDays, validationDays, testDays = targetDays 0 trainEnd, targetDays trainEnd testStart, targetDays testStart dates.Length

// ---- Model: GRU -> Linear on the last hidden state predicts the next day's standardised log births.
let layer = RecurrentLayer.Gru<float32>(features, hidden)
let predict (p: Params<float32>) (days: int[]) =
    Linear.Apply(p.Select "readout.", layer.Apply(p, inputs days).LastLayerHidden)

let loss (days: int[]) (p: Params<float32>) =
    Loss.Mse(predict p days, Tensor.FromArray(days |> Array.map (fun t -> normalised.[t]), days.Length, 1))

let rmse (days: int[]) (forecasts: float[]) =
    sqrt (Array.map2 (fun t f -> (f - counts.[t]) ** 2.0) days forecasts |> Array.average)

/// Forecasts in births/day, in chunks; nothing is traced outside Grad, so no graph is built here.
let forecast (p: Params<float32>) (days: int[]) =
    days |> Array.chunkBySize 512 |> Array.collect (fun chunk -> (predict p chunk).ToArray() |> Array.map toCount)

// ---- Training loop: seeded shuffles, Adam with a cosine schedule, clipping by global norm, keep the best on validation.
let schedule = Schedule.Cosine(learningRate, int64 steps, learningRate * 0.05)
let random = Random(int seed)
let order = Array.init trainDays.Length id
let mutable parameters = layer.Initialize(seed).Concat(Linear.Init<float32>(hidden, 1, seed + 17UL).WithPrefix("readout."))
let mutable adam = Adam.Init parameters
let mutable best, bestValidation, bestStep = parameters, Double.PositiveInfinity, 0
let mutable cursor = order.Length
let redirected = Console.IsOutputRedirected
let clock = Diagnostics.Stopwatch.StartNew()

printfn "GRU (hidden %d) reads %d days and forecasts the next; %d training windows (1969–1984), %d validation, %d test days (1987–1988)"
    hidden window trainDays.Length validationDays.Length testDays.Length
for step in 1 .. steps do
    if cursor + batchSize > order.Length then
        random.Shuffle order
        cursor <- 0
    let batch = order.[cursor .. cursor + batchSize - 1] |> Array.map (fun i -> trainDays.[i])
    cursor <- cursor + batchSize
    let result = Grad.ValueAndGrad(parameters, loss batch)
    let clipped = Clip.ByGlobalNorm(result.Gradients, 1.0)
    let next = Adam.Step(parameters, clipped.Gradients, adam, AdamOptions.Default.WithLearningRate(schedule.At(int64 (step - 1))))
    parameters <- next.Parameters
    adam <- next.State
    if step % (steps / 10 |> max 5) = 0 || step = steps then
        let validation = rmse validationDays (forecast parameters validationDays)
        if validation < bestValidation then
            best <- parameters
            bestValidation <- validation
            bestStep <- step
        let seconds = clock.Elapsed.TotalSeconds
        let line =
            sprintf "  step %4d/%d  loss %.5f  %5.0f samples/s  ETA %3.0fs  validation RMSE %.1f" step steps result.Value.Item
                (float (step * batchSize) / seconds) (seconds / float step * float (steps - step)) validation
        if redirected then printfn "%s" line
        else
            printf "\r%s" line
            if step = steps then printfn ""

let naive = rmse testDays (testDays |> Array.map (fun t -> counts.[t - 7]))
let model = rmse testDays (forecast best testDays)
printfn "test RMSE 1987–1988, births/day: GRU many-to-one %.1f (best validation at step %d), seasonal naive %.1f" model bestStep naive
printfn "beats seasonal-naive: %s  (%.0fs)" (if model < naive then "yes" else "no") clock.Elapsed.TotalSeconds
if quick then
    printfn "quick mode: %d steps of a tiny model check that the whole path runs; it is not expected to beat the seasonal-naive baseline (%.1f births/day)" steps naive
if not quick && model >= naive then exit 1
