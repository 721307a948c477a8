using Autograd.Rnn;

namespace CharRnn;

/// <summary>
/// Characters -> embedding -> stacked LSTM (or GRU) -> linear readout of the next character's logits.
/// All parameters live in one Params collection: "embedding.weight", the layer's PyTorch names, "readout.*".
/// </summary>
sealed class Model(int vocabulary, int embedding, int hidden, int layers, string cell)
{
    public RecurrentLayer<float> Layer { get; } = cell == "gru"
        ? RecurrentLayer.Gru<float>(embedding, hidden, new RecurrentLayerOptions { NumLayers = layers })
        : RecurrentLayer.Lstm<float>(embedding, hidden, new RecurrentLayerOptions { NumLayers = layers },
            CellInitialization.Default.WithForgetGateBias(1.0));

    public int Vocabulary => vocabulary;

    public Params<float> Initialize(ulong seed) =>
        Embedding.Init<float>(vocabulary, embedding, seed).WithPrefix("embedding.")
            .Concat(Layer.Initialize(seed + 1))
            .Concat(Linear.Init<float>(hidden, vocabulary, seed + 2).WithPrefix("readout."));

    /// <summary>tokens [time·batch] laid out time-major -> logits [time, batch, vocabulary] and the final states.</summary>
    public (Tensor<float> Logits, IReadOnlyList<RecurrentState<float>> States) Forward(
        Params<float> p, int[] tokens, int time, int batch, IReadOnlyList<RecurrentState<float>>? states)
    {
        var x = Embedding.Apply(p.Select("embedding."), tokens, time, batch);
        var run = Layer.Apply(p, x, initialStates: states);
        return (Linear.Apply(p.Select("readout."), run.Output), run.FinalStates);
    }

    public IReadOnlyList<RecurrentState<float>> ZeroStates(int batch) =>
        Enumerable.Range(0, Layer.Options.NumLayers).Select(_ => Layer.Cell.ZeroState(batch, Layer.HiddenSize)).ToList();
}
