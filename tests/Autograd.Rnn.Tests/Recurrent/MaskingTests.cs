namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>Variable-length batches: what padding may and may not influence.</summary>
public class MaskingTests
{
    private static readonly int[] Lengths = [3, 1, 2];

    private static Tensor<double> Inputs(ulong seed) => Tensor.RandomNormal<double>([3, 3, 2], seed);

    // Sequence b alone, cut to its own length: [length, 1, features].
    private static Tensor<double> Alone(Tensor<double> inputs, int b, int length) =>
        Tensor.Narrow(Tensor.Narrow(inputs, 1, b, 1), 0, 0, length);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_sequence_in_a_padded_batch_gives_what_it_gives_alone(bool reverse)
    {
        var cell = Cells.Lstm<double>();
        var p = cell.Initialize(2, 4, 11);
        var inputs = Inputs(5);
        var batch = Recurrence.Scan(cell, p, cell.ZeroState(3, 4), inputs, Lengths, reverse);
        for (int b = 0; b < Lengths.Length; b++)
        {
            var alone = Recurrence.Scan(cell, p, cell.ZeroState(1, 4), Alone(inputs, b, Lengths[b]), reverse: reverse);
            Assert.True(Tensor.Narrow(batch.FinalState.Hidden, 0, b, 1).AllClose(alone.FinalState.Hidden, 1e-12, 1e-14),
                $"final h of sequence {b}");
            Assert.True(Tensor.Narrow(batch.FinalState[1], 0, b, 1).AllClose(alone.FinalState[1], 1e-12, 1e-14),
                $"final c of sequence {b}");
            var outputs = Tensor.Narrow(Tensor.Narrow(batch.Outputs, 1, b, 1), 0, 0, Lengths[b]);
            Assert.True(outputs.AllClose(alone.Outputs, 1e-12, 1e-14), $"outputs of sequence {b}");
        }
    }

    [Fact]
    public void Padded_steps_output_zero_and_padded_inputs_get_no_gradient()
    {
        var cell = Cells.Gru<double>();
        var p = cell.Initialize(2, 3, 3);
        var run = Recurrence.Scan(cell, p, cell.ZeroState(3, 3), Inputs(8), Lengths);
        var outputs = run.Outputs.ToArray(); // [time, batch, hidden]
        for (int t = 0; t < 3; t++)
            for (int b = 0; b < 3; b++)
                if (t >= Lengths[b])
                    for (int h = 0; h < 3; h++) Assert.Equal(0.0, outputs[(t * 3 + b) * 3 + h]);

        var gradient = Grad.Gradient(x =>
        {
            var r = Recurrence.Scan(cell, p, cell.ZeroState(3, 3), x, Lengths);
            return Tensor.Sum(r.Outputs) + Tensor.Sum(r.FinalState.Hidden);
        }, Inputs(8)).ToArray();
        for (int t = 0; t < 3; t++)
            for (int b = 0; b < 3; b++)
                for (int f = 0; f < 2; f++)
                {
                    double g = gradient[(t * 3 + b) * 2 + f];
                    if (t >= Lengths[b]) Assert.Equal(0.0, g);
                    else Assert.NotEqual(0.0, g);
                }
    }

    [Fact]
    public void Bad_lengths_and_empty_sequences_are_refused_with_a_clear_message()
    {
        var cell = Cells.Rnn<double>();
        var p = cell.Initialize(2, 3, 1);
        var error = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(3, 3), Inputs(1), [3, 0, 2]));
        Assert.Contains("sequence 1", error.Message);
        Assert.Contains("empty", error.Message);
        error = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(3, 3), Inputs(1), [3, 4, 2]));
        Assert.Contains("length 4", error.Message);
        error = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(3, 3), Inputs(1), [3, 3]));
        Assert.Contains("2 lengths for a batch of 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(3, 3), Tensor.Zeros<double>(0, 3, 2)));
        Assert.Contains("empty sequence", error.Message);
        error = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(2, 3), Inputs(1)));
        Assert.Contains("initial state [2,3]", error.Message);
        Assert.Contains("inputs [3,3,2]", error.Message);
    }
}
