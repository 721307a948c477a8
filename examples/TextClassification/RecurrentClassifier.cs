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

/// <summary>Sizes of the recurrent model.</summary>
internal sealed record GruSizes(int MaxLength, int Embedding, int Hidden, double Dropout, Readout Readout);

/// <summary>
/// The recurrent model: a bidirectional GRU over the tokens of subject + body start, many-to-one. Each token is a row
/// of a learned <c>Embedding</c> [tokens, E]; a text is cut to its first <see cref="GruSizes.MaxLength"/> tokens, and a
/// batch is padded to its longest text with <c>lengths:</c> masking the padding, so the backward direction starts at
/// each text's own last token. The readout (<see cref="Readout"/>) is either <c>LastLayerHidden</c> [batch, 2H] or the
/// masked mean and maximum over time of the outputs [batch, 4H]; it goes through <c>Linear</c> to the two logits. In
/// training, dropout (<see cref="GruSizes.Dropout"/>) is applied to the embedded tokens and to the readout.
/// </summary>
internal sealed class RecurrentClassifier(ITokenEncoder encoder, GruSizes sizes) : IClassifier
{
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(sizes.Embedding, sizes.Hidden, new RecurrentLayerOptions { Bidirectional = true });

    private int ReadoutSize => (sizes.Readout == Readout.MeanMax ? 4 : 2) * sizes.Hidden;

    public Params<float> Initialize(ulong seed) =>
        // N(0, 0.1²) rather than Embedding.Init's N(0, 1): with unit-variance inputs the gates start saturated, and
        // the many rare words' random vectors are loud noise until training quiets them.
        Embedding.Init<float>(encoder.Count, sizes.Embedding, seed).Map(w => w * 0.1f).WithPrefix("embedding.")
            .Concat(layer.Initialize(seed + 1))
            .Concat(Linear.Init<float>(ReadoutSize, 2, seed + 2).WithPrefix("readout."));

    public Tensor<float> Logits(Params<float> parameters, Message[] messages, ulong? dropoutSeed = null)
    {
        int batch = messages.Length;
        var encoded = messages.Select(m => encoder.Encode(m.Text, sizes.MaxLength)).ToArray();
        var lengths = encoded.Select(e => e.Length).ToArray();
        int time = lengths.Max();
        var tokens = new int[time * batch]; // time-major; padding is id 0, left out by the lengths
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < lengths[b]; t++) tokens[t * batch + b] = encoded[b][t];
        var inputs = Embedding.Apply(parameters.Select("embedding."), tokens, time, batch);
        bool dropout = dropoutSeed is not null && sizes.Dropout > 0;
        if (dropout) inputs = Tensor.Dropout(inputs, sizes.Dropout, dropoutSeed!.Value);
        var result = layer.Apply(parameters, inputs, lengths: lengths);
        var features = sizes.Readout == Readout.MeanMax ? MeanMax(result.Output, lengths) : result.LastLayerHidden;
        if (dropout) features = Tensor.Dropout(features, sizes.Dropout, dropoutSeed!.Value + 1);
        return Linear.Apply(parameters.Select("readout."), features);
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
