using Autograd.Rnn;

namespace TextClassification;

/// <summary>
/// How the word encoder is pretrained: steps of <paramref name="BatchSize"/> texts at <paramref name="LearningRate"/>
/// (cosine schedule with warm-up), a softmax over the <paramref name="OutputWords"/> most frequent word ids (rarer
/// words are predicted as "unknown"), dropout on the embedded words.
/// </summary>
internal sealed record PretrainingSettings(int Steps, int BatchSize, double LearningRate, int OutputWords, double Dropout);

/// <summary>
/// Language-model pretraining of the recurrent model's word encoder (ULMFiT, Howard and Ruder, 2018; both directions
/// in one layer as in ELMo, Peters et al., 2018). The classifier's own embedding and bidirectional GRU read a text;
/// the forward direction's output after word t predicts word t + 1, the reverse direction's output at word t (which
/// has read words t to the end) predicts word t − 1, so neither sees the word it predicts. Each direction's output
/// goes through its own <c>Linear</c> [H, E] and then through the embedding table itself (tied weights, Press and Wolf,
/// 2017), so the word vectors learn from the words that follow and precede them as well as from their own position.
/// Trained on the text of the training messages only (never validation or test text; the labels are not read), plus any
/// other text given (Moby-Dick with <c>--moby-dick</c>). The result is the parameters the
/// classifier shares with it (<c>embedding.</c> and the GRU's), which the classifier starts from instead of random ones.
/// </summary>
internal sealed class Pretraining(WordEncoder words, GruSizes sizes, PretrainingSettings settings)
{
    private readonly TokenEmbedding embedding = new(words, sizes.Embedding);
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(sizes.Embedding, sizes.Hidden, new RecurrentLayerOptions { Bidirectional = true });

    private int OutputWords => Math.Min(settings.OutputWords, words.Count);

    /// <summary>The language model's parameters: the classifier's embedding and GRU, initialised as the classifier's, plus the two heads.</summary>
    public Params<float> Initialize(ulong seed) =>
        embedding.Initialize(seed)
            .Concat(layer.Initialize(seed + 10))
            .Concat(Linear.Init<float>(sizes.Hidden, sizes.Embedding, seed + 12).WithPrefix("lm.forward."))
            .Concat(Linear.Init<float>(sizes.Hidden, sizes.Embedding, seed + 13).WithPrefix("lm.backward."))
            .Add("lm.bias", Tensor.Zeros<float>(OutputWords));

    /// <summary>
    /// Pretrains on <paramref name="texts"/> (the training split's messages, and any other text) and returns the encoder's parameters
    /// (everything but the <c>lm.</c> heads), named as the classifier names them.
    /// </summary>
    public Params<float> Train(Message[] texts, ulong seed)
    {
        var parameters = Initialize(seed);
        var optimizer = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(1.0), Optimizer.Adam(),
            Schedule.Cosine(settings.LearningRate, settings.Steps, settings.LearningRate * 0.05).WithLinearWarmup(Math.Max(1, settings.Steps / 20)));
        var state = optimizer.Init(parameters);
        var batches = new ShuffledBatches(texts.Length, settings.BatchSize, seed);
        var progress = new Progress("language model", settings.Steps);
        double smoothed = double.NaN;
        for (int step = 1; step <= settings.Steps; step++)
        {
            var batch = batches.Next().Select(i => texts[i]).ToArray();
            ulong dropoutSeed = seed * 1_000_003 + (ulong)step;
            var result = Grad.ValueAndGrad(p => Loss(p, batch, dropoutSeed), parameters);
            (parameters, state) = optimizer.Update(parameters, result.Gradients, state);
            double loss = result.Value.Item;
            smoothed = double.IsNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss;
            progress.Report(step, smoothed, batches.BatchSize, $"  perplexity {Math.Exp(smoothed):F0} over {OutputWords} words");
        }
        return Params.Create(parameters.Where(kv => !kv.Key.StartsWith("lm.", StringComparison.Ordinal)));
    }

    /// <summary>The mean of the two directions' next-word cross-entropies over the batch's real words.</summary>
    private Tensor<float> Loss(Params<float> parameters, Message[] batch, ulong dropoutSeed)
    {
        var (inputs, lengths) = embedding.Embed(parameters, batch, sizes.MaxLength);
        if (settings.Dropout > 0) inputs = Tensor.Dropout(inputs, settings.Dropout, dropoutSeed);
        var outputs = layer.Apply(parameters, inputs, lengths: lengths).Output; // [time, batch, 2H]
        int time = outputs.Shape[0], count = batch.Length;
        var ids = batch.Select(m => words.Encode(m.Text, sizes.MaxLength)).ToArray();
        // Row t·batch + b: the forward direction's target is word t + 1, the reverse direction's word t − 1; a row with
        // no such word (past either end, or padding) is ignored.
        var next = new int[time * count];
        var previous = new int[time * count];
        for (int t = 0; t < time; t++)
            for (int b = 0; b < count; b++)
            {
                next[t * count + b] = t + 1 < lengths[b] ? Target(ids[b][t + 1]) : Autograd.Rnn.Loss.DefaultIgnoreIndex;
                previous[t * count + b] = t >= 1 && t < lengths[b] ? Target(ids[b][t - 1]) : Autograd.Rnn.Loss.DefaultIgnoreIndex;
            }
        var table = Tensor.Slice(parameters["embedding.weight"], 0, 0, OutputWords); // [K, E]: the tied output weights
        var forward = Linear.Apply(parameters.Select("lm.forward."), Tensor.Slice(outputs, 2, 0, sizes.Hidden));
        var backward = Linear.Apply(parameters.Select("lm.backward."), Tensor.Slice(outputs, 2, sizes.Hidden));
        var forwardLoss = Autograd.Rnn.Loss.CrossEntropy(Tensor.Linear(forward, table, parameters["lm.bias"]), next);
        var backwardLoss = Autograd.Rnn.Loss.CrossEntropy(Tensor.Linear(backward, table, parameters["lm.bias"]), previous);
        return (forwardLoss + backwardLoss) * 0.5f;
    }

    // Word ids are in order of document frequency (2, 3, … after padding 0 and unknown 1): the first K are the output
    // vocabulary, and a rarer word is predicted as "unknown".
    private int Target(int id) => id < OutputWords ? id : 1;
}
