using Autograd.Rnn;

namespace TextClassification;

/// <summary>Sizes of the recurrent model.</summary>
internal sealed record GruSizes(int MaxLength, int Embedding, int Hidden);

/// <summary>
/// The recurrent model: a bidirectional GRU over the characters of subject + body start, many-to-one. Each character
/// (the corpus is ASCII) is a row of a learned <c>Embedding</c> [128, E]; a text is cut to its first
/// <see cref="GruSizes.MaxLength"/> characters, and a batch is padded to its longest text with <c>lengths:</c> masking
/// the padding, so the backward direction starts at each text's own last character. <c>LastLayerHidden</c> (the
/// forward direction's state after the last character, the backward one's after the first: [batch, 2H]) goes through
/// <c>Linear</c> [2H, 2] to the logits. No vocabulary: nothing is built from the training split but the weights.
/// </summary>
internal sealed class CharacterGru(GruSizes sizes) : IClassifier
{
    private const int Characters = 128;
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(sizes.Embedding, sizes.Hidden, new RecurrentLayerOptions { Bidirectional = true });

    public Params<float> Initialize(ulong seed) =>
        Embedding.Init<float>(Characters, sizes.Embedding, seed).WithPrefix("embedding.")
            .Concat(layer.Initialize(seed + 1))
            .Concat(Linear.Init<float>(2 * sizes.Hidden, 2, seed + 2).WithPrefix("readout."));

    public Tensor<float> Logits(Params<float> parameters, Message[] messages)
    {
        int batch = messages.Length;
        var lengths = new int[batch];
        var texts = new string[batch];
        for (int b = 0; b < batch; b++)
        {
            texts[b] = messages[b].Text;
            lengths[b] = Math.Min(texts[b].Length, sizes.MaxLength); // >= 1: the text holds at least the line break
        }
        int time = lengths.Max();
        var tokens = new int[time * batch]; // time-major; padding is character 0 and is masked by the lengths
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) tokens[t * batch + b] = Math.Min(texts[b][t], (char)(Characters - 1));
        var inputs = Embedding.Apply(parameters.Select("embedding."), tokens, time, batch);
        var run = layer.Apply(parameters, inputs, lengths: lengths);
        return Linear.Apply(parameters.Select("readout."), run.LastLayerHidden);
    }
}
