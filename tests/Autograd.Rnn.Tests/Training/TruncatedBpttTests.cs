namespace Autograd.Rnn.Tests.Training;

/// <summary>Truncated BPTT: chunks, the carried state, and where gradients stop.</summary>
public class TruncatedBpttTests
{
    private const int Steps = 7, Batch = 2, Hidden = 3, Features = 2;

    private static readonly Cell<double> Cell = Cells.Gru<double>();

    private static Params<double> Parameters() => Cell.Initialize(Features, Hidden, seed: 21);

    private static Tensor<double> Inputs() => Tensor.RandomNormal<double>([Steps, Batch, Features], seed: 22);

    private static Tensor<double> Targets() => Tensor.RandomNormal<double>([Steps, Batch, Hidden], seed: 23);

    private static RecurrentState<double> InitialState() => RecurrentState<double>.Of(Tensor.RandomNormal<double>([Batch, Hidden], seed: 24));

    private static Tensor<double> SquaredError(Params<double> p, Tensor<double> outputs, Tensor<double> targets) =>
        Tensor.Sum((outputs - targets) * (outputs - targets));

    /// <summary>An "optimizer" that records the gradients it is given and leaves the parameters alone.</summary>
    private static OptimizerStep<double, List<Params<double>>> Record(Params<double> p, Params<double> g, List<Params<double>> seen)
    {
        seen.Add(g);
        return new OptimizerStep<double, List<Params<double>>>(p, seen);
    }

    [Fact]
    public void With_one_chunk_the_gradient_is_plain_BPTTs()
    {
        var result = TruncatedBptt.Run(Cell, Parameters(), InitialState(), Inputs(), Targets(), chunkLength: Steps,
            SquaredError, new List<Params<double>>(), Record);

        var plain = Grad.ValueAndGrad(p => SquaredError(p, Recurrence.Scan(Cell, p, InitialState(), Inputs()).Outputs, Targets()), Parameters());
        Assert.Single(result.OptimizerState);
        Assert.Equal([plain.Value.Item], result.Losses);
        foreach (var (name, gradient) in plain.Gradients)
            Assert.True(gradient.AllClose(result.OptimizerState[0][name], 1e-12, 1e-14), name);
    }

    [Fact]
    public void The_sequence_is_cut_into_chunks_of_the_given_length_with_a_shorter_last_one()
    {
        var chunks = new List<(int Index, int Start, int Length)>();
        var result = TruncatedBptt.Run(Cell, Parameters(), InitialState(), Inputs(), chunkLength: 3,
            (p, chunk) => { chunks.Add((chunk.Index, chunk.Start, chunk.Length)); return Tensor.Sum(chunk.Outputs); },
            new List<Params<double>>(), Record);
        Assert.Equal([(0, 0, 3), (1, 3, 3), (2, 6, 1)], chunks);
        Assert.Equal(3, result.Losses.Length);
    }

    [Fact]
    public void Each_chunk_starts_from_the_previous_chunks_final_state_as_a_constant()
    {
        var chunks = new List<BpttChunk<double>>();
        var result = TruncatedBptt.Run(Cell, Parameters(), InitialState(), Inputs(), chunkLength: 3,
            (p, chunk) => { chunks.Add(chunk); return Tensor.Sum(chunk.Outputs); }, new List<Params<double>>(), Record);

        Assert.Equal(InitialState().Hidden.ToArray(), chunks[0].InitialState.Hidden.ToArray());
        for (int i = 1; i < chunks.Count; i++)
        {
            Assert.False(chunks[i].InitialState.Hidden.IsTraced);
            Assert.Equal(chunks[i - 1].FinalState.Hidden.ToArray(), chunks[i].InitialState.Hidden.ToArray());
        }
        Assert.False(result.FinalState.Hidden.IsTraced);
        // With the parameters unchanged, the chunks together compute the same states as one run over the whole sequence.
        var whole = Recurrence.Scan(Cell, Parameters(), InitialState(), Inputs());
        Assert.True(whole.FinalState.Hidden.AllClose(result.FinalState.Hidden, 1e-14, 1e-15));
    }

    [Fact]
    public void Gradients_do_not_flow_across_chunks()
    {
        var states = new List<RecurrentState<double>>();
        var result = TruncatedBptt.Run(Cell, Parameters(), InitialState(), Inputs(), Targets(), chunkLength: 4,
            (p, outputs, targets) => SquaredError(p, outputs, targets), new List<Params<double>>(), Record);
        var gradients = result.OptimizerState;
        Assert.Equal(2, gradients.Count);

        // The second chunk's gradient is that of its loss from its starting state held constant.
        var start = Recurrence.Scan(Cell, Parameters(), InitialState(), Tensor.Narrow(Inputs(), 0, 0, 4)).FinalState;
        var secondInputs = Tensor.Narrow(Inputs(), 0, 4, 3);
        var secondTargets = Tensor.Narrow(Targets(), 0, 4, 3);
        var expected = Grad.Gradient(p => SquaredError(p, Recurrence.Scan(Cell, p, start, secondInputs).Outputs, secondTargets), Parameters());
        foreach (var (name, gradient) in expected)
            Assert.True(gradient.AllClose(gradients[1][name], 1e-12, 1e-14), name);

        // Full BPTT of the same loss term would also reach back through the first chunk, and differs.
        var full = Grad.Gradient(p => SquaredError(p,
            Tensor.Narrow(Recurrence.Scan(Cell, p, InitialState(), Inputs()).Outputs, 0, 4, 3), secondTargets), Parameters());
        Assert.False(full["weight_hh"].AllClose(gradients[1]["weight_hh"], 1e-6, 1e-9));
    }

    [Fact]
    public void Training_with_an_optimizer_lowers_the_loss()
    {
        var options = AdamOptions.Default.WithLearningRate(0.05);
        var parameters = Parameters();
        var state = Adam.Init(parameters);
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 30; epoch++)
        {
            var run = TruncatedBptt.Run(Cell, parameters, InitialState(), Inputs(), Targets(), 3, SquaredError, state,
                (p, g, s) => Adam.Step(p, Clip.ByGlobalNorm(g, 5.0).Gradients, s, options));
            (parameters, state) = (run.Parameters, run.OptimizerState);
            if (epoch == 0) first = run.Losses.Sum();
            last = run.Losses.Sum();
        }
        Assert.Equal(30 * 3, state.Step);
        Assert.True(last < 0.8 * first, $"loss {first} -> {last}");
    }
}
