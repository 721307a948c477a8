using Autograd.Rnn;

namespace TextClassification;

/// <summary>How the recurrent model turns the GRU's outputs into one vector per text.</summary>
internal enum Readout
{
    /// <summary><c>LastLayerHidden</c>: each direction's state after its last token, [batch, 2H].</summary>
    Last,

    /// <summary>The masked mean and the masked maximum over time of the outputs at every step, side by side: [batch, 4H].</summary>
    MeanMax,
}

/// <summary>
/// Sizes of the recurrent model. In training, <see cref="Dropout"/> applies to each component of the embedded tokens
/// and to the readout, and <see cref="WordDropout"/> drops whole tokens (their vector set to zero).
/// </summary>
internal sealed record GruSizes(int MaxLength, int Embedding, int Hidden, double Dropout, Readout Readout, double WordDropout = 0);

/// <summary>
/// The recurrent model: a bidirectional GRU over the tokens of subject + body start, many-to-one. The tokens become
/// vectors through an <see cref="ITextEmbedding"/> (a token table, or words built from their character trigrams); a
/// text is cut to its first <see cref="GruSizes.MaxLength"/> tokens, and a batch is padded to its longest text with
/// <c>lengths:</c> masking the padding, so the backward direction starts at each text's own last token. The readout
/// (<see cref="Readout"/>) is either <c>LastLayerHidden</c> [batch, 2H] or the masked mean and maximum over time of
/// the outputs [batch, 4H]; it goes through <c>Linear</c> to the two logits. In training, whole tokens are dropped
/// (<see cref="GruSizes.WordDropout"/>) and dropout (<see cref="GruSizes.Dropout"/>) is applied to the embedded tokens
/// and to the readout.
/// </summary>
internal sealed class RecurrentClassifier(ITextEmbedding embedding, GruSizes sizes) : IClassifier
{
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(sizes.Embedding, sizes.Hidden, new RecurrentLayerOptions { Bidirectional = true });

    private int ReadoutSize => (sizes.Readout == Readout.MeanMax ? 4 : 2) * sizes.Hidden;

    public Params<float> Initialize(ulong seed) =>
        embedding.Initialize(seed)
            .Concat(layer.Initialize(seed + 10))
            .Concat(Linear.Init<float>(ReadoutSize, 2, seed + 11).WithPrefix("readout."));

    public Tensor<float> Logits(Params<float> parameters, Message[] messages, ulong? dropoutSeed = null)
    {
        var (inputs, lengths) = embedding.Embed(parameters, messages, sizes.MaxLength);
        bool training = dropoutSeed is not null;
        if (training && sizes.WordDropout > 0) inputs = inputs * WordMask(inputs.Shape[0], inputs.Shape[1], sizes.WordDropout, dropoutSeed!.Value + 2);
        if (training && sizes.Dropout > 0) inputs = Tensor.Dropout(inputs, sizes.Dropout, dropoutSeed!.Value);
        var result = layer.Apply(parameters, inputs, lengths: lengths);
        var features = sizes.Readout == Readout.MeanMax ? MeanMax(result.Output, lengths) : result.LastLayerHidden;
        if (training && sizes.Dropout > 0) features = Tensor.Dropout(features, sizes.Dropout, dropoutSeed!.Value + 1);
        return Linear.Apply(parameters.Select("readout."), features);
    }

    // [time, batch, 1]: 0 for a dropped word, 1 / (1 - p) for a kept one, so the expected input is unchanged.
    private static Tensor<float> WordMask(int time, int batch, double probability, ulong seed)
    {
        var random = new Random(unchecked((int)seed));
        var mask = new float[time * batch];
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < probability ? 0f : (float)(1 / (1 - probability));
        return Tensor.FromArray(mask, time, batch, 1);
    }
    // outputs [time, batch, 2H], zero at padded steps → [batch, 4H]. The mean divides the sum by each text's own
    // length, not by the padded time; the maximum sees a large negative at padded steps instead of their zeros, which
    // would otherwise win over any all-negative feature of a short text.
    private static Tensor<float> MeanMax(Tensor<float> outputs, int[] lengths)
    {
        int time = outputs.Shape[0], batch = outputs.Shape[1];
        var valid = new float[time * batch];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) valid[t * batch + b] = 1f;
        var mask = Tensor.FromArray(valid, time, batch, 1);
        var counts = Tensor.FromArray(lengths.Select(l => (float)l).ToArray(), batch, 1);
        var mean = Tensor.Sum(outputs, 0) / counts;
        var max = Tensor.Max(Tensor.Where(mask, outputs, Tensor.Scalar(-1e4f)), 0);
        return Tensor.Concat([mean, max], 1);
    }
}
