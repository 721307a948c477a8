using Autograd.Rnn;

namespace TextClassification;

/// <summary>Sizes of the recurrent model.</summary>
internal sealed record GruSizes(int MaxLength, int Embedding, int Hidden, double Dropout);

/// <summary>
/// The recurrent model: a bidirectional GRU over the tokens of subject + body start, many-to-one. Each token is a row
/// of a learned <c>Embedding</c> [tokens, E]; a text is cut to its first <see cref="GruSizes.MaxLength"/> tokens, and a
/// batch is padded to its longest text with <c>lengths:</c> masking the padding, so the backward direction starts at
/// each text's own last token. <c>LastLayerHidden</c> (the forward direction's state after the last token, the
/// backward one's after the first: [batch, 2H]) goes through <c>Linear</c> [2H, 2] to the logits. In training, dropout
/// (<see cref="GruSizes.Dropout"/>) is applied to the embedded tokens and to that last hidden state.
/// </summary>
internal sealed class RecurrentClassifier(ITokenEncoder encoder, GruSizes sizes) : IClassifier
{
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(sizes.Embedding, sizes.Hidden, new RecurrentLayerOptions { Bidirectional = true });

    public Params<float> Initialize(ulong seed) =>
        // N(0, 0.1²) rather than Embedding.Init's N(0, 1): with unit-variance inputs the gates start saturated, and
        // the many rare words' random vectors are loud noise until training quiets them.
        Embedding.Init<float>(encoder.Count, sizes.Embedding, seed).Map(w => w * 0.1f).WithPrefix("embedding.")
            .Concat(layer.Initialize(seed + 1))
            .Concat(Linear.Init<float>(2 * sizes.Hidden, 2, seed + 2).WithPrefix("readout."));

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
        var hidden = layer.Apply(parameters, inputs, lengths: lengths).LastLayerHidden;
        if (dropout) hidden = Tensor.Dropout(hidden, sizes.Dropout, dropoutSeed!.Value + 1);
        return Linear.Apply(parameters.Select("readout."), hidden);
    }
}
