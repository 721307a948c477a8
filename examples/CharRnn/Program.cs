// A character-level language model of Moby-Dick: a 2-layer LSTM trained with truncated backpropagation through
// time, evaluated in bits per character on held-out chapters against the unigram baseline, saved as a safetensors
// checkpoint, loaded back, and sampled with a temperature.
//
//   dotnet run --project examples/CharRnn -c Release               (a few minutes on 2 cores)
//   dotnet run --project examples/CharRnn -c Release -- --quick    (seconds: the same path, tiny sizes)
//   options: --seed N  --steps N  --cell lstm|gru  --out DIR (default: a new folder under the temp folder, printed)
using System.Diagnostics;
using Autograd.Rnn;
using CharRnn;

var options = Options.Parse(args);
Console.WriteLine($"CharRnn: {options}");
var corpus = Corpus.Load(Corpus.FindData("moby-dick.txt"));
var training = corpus.Encode(corpus.Training);
var validation = corpus.Encode(corpus.Validation);
double unigram = corpus.UnigramBitsPerCharacter();
Console.WriteLine($"text: {training.Length:N0} training and {validation.Length:N0} held-out characters (every tenth chapter), " +
                  $"vocabulary {corpus.Vocabulary.Length}; unigram baseline {unigram:F3} bits/char");
if (options.Quick)
    Console.WriteLine($"quick mode: {options.Steps} steps of a tiny model check that the whole path runs; it is not expected to beat " +
                      $"the unigram baseline ({unigram:F3} bits/char) — the full run is");

var model = new Model(corpus.Vocabulary.Length, options.Embedding, options.Hidden, options.Layers, options.Cell);
var parameters = model.Initialize(options.Seed);
Console.WriteLine($"model: {options.Cell.ToUpperInvariant()} {options.Layers}×{options.Hidden}, {parameters.ElementCount:N0} parameters");
var adam = new AdamOptions { LearningRate = options.LearningRate };
var optimizerState = Adam.Init(parameters, adam);
var schedule = Schedule.Cosine(options.LearningRate, options.Steps, options.LearningRate / 10).WithLinearWarmup(Math.Min(100, options.Steps / 10));

// Truncated BPTT over B parallel streams: stream b reads its own contiguous stretch of the book, and the state at
// the end of one chunk starts the next (as a constant: gradients stop at chunk boundaries).
var streams = new TokenStreams(training, options.Batch, options.Time);
var states = model.ZeroStates(options.Batch);
double before = Evaluate(model, parameters, validation, options);
Console.WriteLine($"held-out loss before training: {before:F3} bits/char");

var clock = Stopwatch.StartNew();
var progress = new Progress(options.Steps);
double smoothed = double.NaN;
for (int step = 1; step <= options.Steps; step++)
{
    var (inputs, targets) = streams.Next();
    var carried = states;
    IReadOnlyList<RecurrentState<float>> finalStates = carried;
    var result = Grad.ValueAndGrad(p =>
    {
        var (logits, final) = model.Forward(p, inputs, options.Time, options.Batch, carried);
        finalStates = final;
        return Loss.CrossEntropy(logits, targets);
    }, parameters);
    states = finalStates.Select(s => s.Map(Tensor.StopGradient)).ToList();
    var clipped = Clip.ByGlobalNorm(result.Gradients, options.ClipNorm);
    (parameters, optimizerState) = Adam.Step(parameters, clipped.Gradients, optimizerState,
        adam with { LearningRate = schedule.At(step - 1) });

    double bits = result.Value.Item / Math.Log(2);
    smoothed = double.IsNaN(smoothed) ? bits : 0.95 * smoothed + 0.05 * bits;
    progress.Report(step, $"loss {smoothed:F3} bits/char, {step * options.Batch * options.Time / clock.Elapsed.TotalSeconds:N0} chars/s");
    if (step % options.EvaluateEvery == 0 || step == options.Steps)
        progress.Line($"step {step}: training {smoothed:F3}, held-out {Evaluate(model, parameters, validation, options):F3} bits/char");
}
double after = Evaluate(model, parameters, validation, options);
Console.WriteLine($"trained {options.Steps} steps in {clock.Elapsed.TotalSeconds:F0} s; held-out {before:F3} -> {after:F3} bits/char " +
                  $"(unigram baseline {unigram:F3})");

// Save parameters and optimizer state in one safetensors file, load it back, and check nothing changed.
Directory.CreateDirectory(options.Output);
string checkpoint = Path.Combine(options.Output, "charrnn.safetensors");
var metadata = new Dictionary<string, string>
{
    ["vocabulary"] = corpus.Vocabulary,
    ["model"] = $"{options.Cell} layers={options.Layers} hidden={options.Hidden} embedding={options.Embedding}",
    ["steps"] = options.Steps.ToString(),
};
Checkpoint.Save(checkpoint, parameters.Concat(optimizerState.ToParams().WithPrefix("optimizer.")), metadata);
var loaded = Checkpoint.Load<float>(checkpoint);
var restored = Params.Create(loaded.Where(kv => !kv.Key.StartsWith("optimizer.", StringComparison.Ordinal)));
bool identical = restored.Names.SequenceEqual(parameters.Names)
    && parameters.All(kv => kv.Value.ToArray().AsSpan().SequenceEqual(restored[kv.Key].ToArray()));
var restoredOptimizer = AdamState<float>.FromParams(loaded.Select("optimizer."));
Console.WriteLine($"checkpoint {checkpoint}: {new FileInfo(checkpoint).Length:N0} bytes, reloaded " +
                  $"{(identical ? "bit-identical" : "DIFFERENT")}, optimizer at step {restoredOptimizer.Step}");

// Sample from the reloaded model: warm its state up on a held-out passage (the prompt), then feed each character back in.
var sampler = new Sampler(model, restored, corpus);
string prompt = Sampler.Prompt(corpus.Validation, options.WarmUpCharacters);
string shown = prompt.Length <= 240 ? prompt : "…" + prompt[^240..];
Console.WriteLine($"prompt: {prompt.Length:N0} characters of held-out text, read first to warm the state up (its end shown):");
Console.WriteLine(Indent(shown));
Console.WriteLine($"generated ({options.SampleLength} characters, temperature {options.Temperature}):");
Console.WriteLine(Indent(sampler.Sample(prompt, options.SampleLength, options.Temperature, options.Seed)));

if (options.Quick && options.OwnsOutput)
{
    Directory.Delete(options.Output, recursive: true);
    Console.WriteLine($"quick mode: removed {options.Output}");
}
if (!identical) return 2;
if (!options.Quick && !(after < before - 1.0 && after < unigram - 1.0))
{
    Console.WriteLine("held-out loss did not fall clearly below the unigram baseline");
    return 1;
}
return 0;

static string Indent(string text) => "  | " + text.Replace("\n", "\n  | ");

// Mean bits per character over the first stretch of the held-out chapters, in the same streamed layout.
static double Evaluate(Model model, Params<float> parameters, int[] tokens, Options options)
{
    var streams = new TokenStreams(tokens[..Math.Min(tokens.Length, options.EvaluationCharacters)], options.Batch, options.Time);
    var states = model.ZeroStates(options.Batch);
    double total = 0;
    for (int chunk = 0; chunk < streams.ChunksPerPass; chunk++)
    {
        var (inputs, targets) = streams.Next();
        var (logits, final) = model.Forward(parameters, inputs, options.Time, options.Batch, states);
        total += Loss.CrossEntropy(logits, targets).Item;
        states = final;
    }
    return total / streams.ChunksPerPass / Math.Log(2);
}
