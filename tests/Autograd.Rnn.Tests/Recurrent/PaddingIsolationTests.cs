namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// Padded positions reach no value and no gradient, whatever they hold: NaN or ∞ at steps t ≥ length (and in rows a
/// loss ignores) leave every gradient exactly what it is with zeros there.
/// </summary>
public class PaddingIsolationTests
{
    private const int Steps = 5, Batch = 3, Features = 2, Hidden = 3;
    private static readonly int[] Lengths = [5, 2, 3];

    public static TheoryData<string, bool, bool, double> Layers()
    {
        var data = new TheoryData<string, bool, bool, double>();
        foreach (var kind in new[] { "LSTM", "GRU", "RNN" })
            foreach (var bidirectional in new[] { false, true })
                foreach (var batchFirst in new[] { false, true })
                    data.Add(kind, bidirectional, batchFirst, double.NaN);
        data.Add("LSTM", true, false, double.PositiveInfinity);
        data.Add("GRU", false, false, double.NegativeInfinity);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Non_finite_padding_changes_no_output_and_no_gradient(string kind, bool bidirectional, bool batchFirst, double poison)
    {
        var options = new RecurrentLayerOptions { NumLayers = 2, Bidirectional = bidirectional, BatchFirst = batchFirst };
        var layer = kind switch
        {
            "LSTM" => RecurrentLayer.Lstm<double>(Features, Hidden, options),
            "GRU" => RecurrentLayer.Gru<double>(Features, Hidden, options),
            _ => RecurrentLayer.Rnn<double>(Features, Hidden, options),
        };
        var parameters = layer.Initialize(seed: 3).Add("input", Padded(Tensor.RandomNormal<double>(batchFirst ? [Batch, Steps, Features] : [Steps, Batch, Features], seed: 4), 0.0, batchFirst));
        var poisoned = parameters.With("input", Padded(parameters["input"], poison, batchFirst));

        Tensor<double> Loss(Params<double> p)
        {
            var run = layer.Apply(p, p["input"], Lengths);
            return Tensor.Sum(Tensor.Tanh(run.Output)) + Tensor.Sum(run.LastLayerHidden * run.LastLayerHidden);
        }

        var clean = Grad.ValueAndGrad(Loss, parameters);
        var dirty = Grad.ValueAndGrad(Loss, poisoned);
        Assert.Equal(clean.Value.Item, dirty.Value.Item);
        foreach (var (name, gradient) in clean.Gradients)
            Assert.Equal(gradient.ToArray(), dirty.Gradients[name].ToArray());
    }

    [Fact]
    public void Cross_entropy_rows_that_are_ignored_or_masked_out_get_exactly_zero_gradient_even_when_non_finite()
    {
        var logits = Tensor.RandomNormal<double>([4, 3], seed: 9);
        var poisoned = Tensor.FromArray(logits.ToArray().Select((v, i) => i / 3 == 1 ? double.NaN : i / 3 == 3 ? double.PositiveInfinity : v).ToArray(), 4, 3);
        int[] targets = [0, Loss.DefaultIgnoreIndex, 2, 1];
        bool[] mask = [true, true, true, false];
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            var clean = Grad.ValueAndGrad(x => Tensor.Sum(Loss.CrossEntropy(x, targets, reduction, mask: mask)), logits);
            var dirty = Grad.ValueAndGrad(x => Tensor.Sum(Loss.CrossEntropy(x, targets, reduction, mask: mask)), poisoned);
            Assert.Equal(clean.Value.Item, dirty.Value.Item);
            var g = dirty.Gradient.ToArray();
            Assert.Equal(clean.Gradient.ToArray(), g);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(0.0, g[3 + c]);
                Assert.Equal(0.0, g[9 + c]);
            }
        }
    }

    [Fact]
    public void Cross_entropy_with_every_row_ignored_sums_to_zero_with_zero_gradient()
    {
        var logits = Tensor.FromArray(new[] { double.NaN, 1.0, 2.0, 3.0 }, 2, 2);
        var result = Grad.ValueAndGrad(x => Loss.CrossEntropy(x, [Loss.DefaultIgnoreIndex, Loss.DefaultIgnoreIndex], Reduction.Sum), logits);
        Assert.Equal(0.0, result.Value.Item);
        Assert.All(result.Gradient.ToArray(), v => Assert.Equal(0.0, v));
    }

    // The inputs with `value` at every padded step ([time, batch, …], or [batch, time, …] when batch-first).
    private static Tensor<double> Padded(Tensor<double> inputs, double value, bool batchFirst)
    {
        var data = inputs.ToArray();
        for (int t = 0; t < Steps; t++)
            for (int b = 0; b < Batch; b++)
                if (t >= Lengths[b])
                    for (int f = 0; f < Features; f++)
                        data[batchFirst ? (b * Steps + t) * Features + f : (t * Batch + b) * Features + f] = value;
        return Tensor.FromArray(data, inputs.Shape.ToArray());
    }
}
