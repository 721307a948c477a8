using Autograd.Rnn;

namespace Memory;

/// <summary>Which recurrent cell a model uses.</summary>
internal enum CellKind { Rnn, Lstm, Gru }

/// <summary>
/// Embedding → one recurrent cell → linear readout of the last hidden state (many-to-one). Parameters are one
/// named collection: <c>embedding.weight</c>, <c>cell.weight_ih</c> … (PyTorch's names), <c>readout.weight</c>, <c>readout.bias</c>.
/// </summary>
internal sealed class Model
{
    private const string CellPrefix = "cell.";

    public Model(CellKind kind, int symbols, int embeddingSize, int hiddenSize, int classes, float gateBias)
    {
        GateBias = gateBias;
        Kind = kind;
        Symbols = symbols;
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        Classes = classes;
        Cell = CreateCell<float>();
    }

    /// <summary>
    /// The cell, in <typeparamref name="T"/>. Every weight and bias is PyTorch's default, U(−1/√H, 1/√H), except the bias
    /// of the gate that keeps memory: the LSTM's forget gate (Gers et al. 2000; Jozefowicz et al. 2015) and the GRU's update
    /// gate z (h' = (1 − z)·n + z·h keeps a fraction z of h), both set to <see cref="GateBias"/> in <see cref="Initialize"/>.
    /// A tanh RNN has no such gate: whatever it remembers passes through W_hh and tanh at every step.
    /// </summary>
    public Cell<T> CreateCell<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Kind switch
    {
        CellKind.Rnn => Cells.Rnn<T>(Nonlinearity.Tanh),
        CellKind.Lstm => Cells.Lstm<T>(CellInitialization.Default.WithForgetGateBias(GateBias)),
        _ => Cells.Gru<T>(),
    };

    /// <summary>The initial bias of the gate that keeps memory (LSTM forget gate, GRU update gate).</summary>
    public float GateBias { get; }

    public CellKind Kind { get; }

    public Cell<float> Cell { get; }

    public int Symbols { get; }

    public int EmbeddingSize { get; }

    public int HiddenSize { get; }

    public int Classes { get; }

    public string Name => Progress.Name(Kind);

    public Params<float> Initialize(ulong seed)
    {
        var cell = Cell.Initialize(EmbeddingSize, HiddenSize, seed + 1);
        if (Kind == CellKind.Gru) cell = WithUpdateGateBias(cell, HiddenSize, GateBias);
        return Embedding.Init<float>(Symbols, EmbeddingSize, seed).WithPrefix("embedding.")
            .Concat(cell.WithPrefix(CellPrefix))
            .Concat(Linear.Init<float>(HiddenSize, Classes, seed + 10).WithPrefix("readout."));
    }

    /// <summary>The embedded batch [time, batch, embedding].</summary>
    public Tensor<float> Embed(Params<float> p, MemoryBatch batch) =>
        Embedding.Apply(p.Select("embedding."), batch.Tokens, batch.Time, batch.Batch);

    /// <summary>Logits [batch, classes] read out from the hidden state after the last symbol.</summary>
    public Tensor<float> Logits(Params<float> p, MemoryBatch batch)
    {
        var run = Recurrence.Scan(Cell, p.Select(CellPrefix), Cell.ZeroState(batch.Batch, HiddenSize), Embed(p, batch));
        return Linear.Apply(p.Select("readout."), run.FinalState.Hidden);
    }

    /// <summary>Mean cross-entropy of the batch's labels.</summary>
    public Tensor<float> Loss(Params<float> p, MemoryBatch batch) => Autograd.Rnn.Loss.CrossEntropy(Logits(p, batch), batch.Labels);

    /// <summary>The fraction of sequences whose largest logit is their label.</summary>
    public double Accuracy(Params<float> p, MemoryBatch batch)
    {
        var logits = Logits(p, batch).ToArray();
        int correct = 0;
        for (int b = 0; b < batch.Batch; b++)
        {
            int best = 0;
            for (int k = 1; k < Classes; k++)
                if (logits[b * Classes + k] > logits[b * Classes + best]) best = k;
            if (best == batch.Labels[b]) correct++;
        }
        return (double)correct / batch.Batch;
    }

    /// <summary>
    /// ‖∂loss/∂h_t‖ for every step t of <paramref name="batch"/>, with the loss the model's cross-entropy at the last step:
    /// how much the loss at the end still "hears" of the hidden state t steps earlier. Computed in double: a vanilla RNN's
    /// gradients fall below 1e-20 within tens of steps, where float squares (and so float norms) underflow.
    /// </summary>
    public double[] HiddenStateGradients(Params<float> trained, MemoryBatch batch)
    {
        var p = ToDouble(trained);
        var cell = CreateCell<double>();
        var readout = p.Select("readout.");
        var inputs = Embedding.Apply(p.Select("embedding."), batch.Tokens, batch.Time, batch.Batch);
        var probe = GradientProbe.HiddenStateGradients(cell, p.Select(CellPrefix), cell.ZeroState(batch.Batch, HiddenSize), inputs,
            outputs => Autograd.Rnn.Loss.CrossEntropy(
                Linear.Apply(readout, Tensor.Narrow(outputs, 0, batch.Time - 1, 1).Reshape(batch.Batch, HiddenSize)), batch.Labels));
        return probe.Norms;
    }

    private static Params<double> ToDouble(Params<float> parameters)
    {
        var result = Params<double>.Empty;
        foreach (var (name, tensor) in parameters)
            result = result.Add(name, Tensor.FromArray(Array.ConvertAll(tensor.ToArray(), v => (double)v), tensor.Shape.ToArray()));
        return result;
    }

    // GRU gate order r, z, n: set the z slice of bias_ih to the gate bias and that of bias_hh to 0.
    private static Params<float> WithUpdateGateBias(Params<float> cell, int hidden, float gateBias)
    {
        var biasIh = cell["bias_ih"].ToArray();
        var biasHh = cell["bias_hh"].ToArray();
        biasIh.AsSpan(hidden, hidden).Fill(gateBias);
        biasHh.AsSpan(hidden, hidden).Clear();
        return cell.With("bias_ih", Tensor.FromArray(biasIh, biasIh.Length)).With("bias_hh", Tensor.FromArray(biasHh, biasHh.Length));
    }
}
