namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>The sequence shapes of the literature, each built from the layer, a readout and a loss.</summary>
public class SequenceShapeTests
{
    private const int Time = 4, Batch = 3, Features = 2, Hidden = 3, Classes = 5;
    private static readonly int[] Lengths = [4, 2, 3];

    private static Tensor<double> Inputs() => Tensor.RandomNormal<double>([Time, Batch, Features], 21);

    [Fact]
    public void Many_to_one_classifies_from_both_directions_final_states_and_its_gradient_checks()
    {
        var layer = RecurrentLayer.Gru<double>(Features, Hidden, new RecurrentLayerOptions { Bidirectional = true });
        var parameters = layer.Initialize(3).Concat(Linear.Init<double>(2 * Hidden, Classes, 4).WithPrefix("readout."));
        int[] labels = [1, 4, 0];
        Tensor<double> LossOf(Params<double> p)
        {
            var run = layer.Apply(p, Inputs(), Lengths);
            return Loss.CrossEntropy(Linear.Apply(p.Select("readout."), run.LastLayerHidden), labels);
        }

        var run = layer.Apply(parameters, Inputs(), Lengths);
        Assert.Equal(new Shape(Batch, 2 * Hidden), run.LastLayerHidden.Shape);
        Assert.True(run.LastLayerHidden.AllClose(Tensor.Concat([run.FinalStates[0].Hidden, run.FinalStates[1].Hidden], 1), 0, 0));
        var check = GradCheck.Run(LossOf, parameters);
        Assert.True(check.Passed, check.ToString());
    }

    [Fact]
    public void Many_to_many_loss_is_the_sum_over_steps_of_each_steps_loss()
    {
        var layer = RecurrentLayer.Lstm<double>(Features, Hidden);
        var parameters = layer.Initialize(5).Concat(Linear.Init<double>(Hidden, Classes, 6).WithPrefix("readout."));
        var targets = Enumerable.Range(0, Time * Batch).Select(i => (i * 7) % Classes).ToArray();
        var mask = Enumerable.Range(0, Time * Batch).Select(i => i / Batch < Lengths[i % Batch]).ToArray();

        Tensor<double> Logits(Params<double> p) => Linear.Apply(p.Select("readout."), layer.Apply(p, Inputs(), Lengths).Output);
        Tensor<double> Total(Params<double> p) => Loss.CrossEntropy(Logits(p), targets, Reduction.Sum, mask: mask);

        var logits = Logits(parameters); // [time, batch, classes]
        double sumOfSteps = 0;
        for (int t = 0; t < Time; t++)
        {
            var stepLogits = Tensor.Narrow(logits, 0, t, 1).Reshape(Batch, Classes);
            sumOfSteps += Loss.CrossEntropy(stepLogits, targets[(t * Batch)..((t + 1) * Batch)], Reduction.Sum,
                mask: mask[(t * Batch)..((t + 1) * Batch)]).Item;
        }
        Assert.Equal(sumOfSteps, Total(parameters).Item, 12);
        var check = GradCheck.Run(Total, parameters);
        Assert.True(check.Passed, check.ToString());
    }

    [Fact]
    public void One_to_many_generation_feeds_each_output_back_and_is_deterministic_for_a_seed()
    {
        var cell = Cells.Lstm<double>();
        var p = cell.Initialize(Classes, Hidden, 8);
        var embedding = Tensor.Eye<double>(Classes);
        var readout = Linear.Init<double>(Hidden, Classes, 9);
        Tensor<double> Embed(int token) => Tensor.Narrow(embedding, 0, token, 1);
        Tensor<double> Readout(Tensor<double> h) => Linear.Apply(readout, h);

        var first = Generation.Sample(cell, p, cell.ZeroState(1, Hidden), 0, 12, Embed, Readout, 1.0, seed: 77);
        var again = Generation.Sample(cell, p, cell.ZeroState(1, Hidden), 0, 12, Embed, Readout, 1.0, seed: 77);
        Assert.Equal(first, again);

        // Greedy decoding, step by step by hand: each token is the arg-max of the readout of the state it led to.
        var greedy = Generation.Sample(cell, p, cell.ZeroState(1, Hidden), 0, 6, Embed, Readout, 0.0, seed: 1);
        var state = cell.ZeroState(1, Hidden);
        int token = 0;
        foreach (int generated in greedy)
        {
            state = cell.Step(p, state, Embed(token));
            var logits = Readout(state.Hidden).ToArray();
            token = Array.IndexOf(logits, logits.Max());
            Assert.Equal(token, generated);
        }
    }

    [Fact]
    public void Temperature_sampling_draws_classes_in_proportion_to_the_softmax()
    {
        var logits = Tensor.FromArray([2.0, 0.0, -1.0, 0.5]);
        const double temperature = 0.7;
        var weights = logits.ToArray().Select(v => Math.Exp(v / temperature)).ToArray();
        var probabilities = weights.Select(w => w / weights.Sum()).ToArray();
        const int draws = 10_000;
        var counts = new int[4];
        // Evenly spaced uniforms: the counts are the softmax's quantiles, exact to one draw per class boundary.
        for (int k = 0; k < draws; k++) counts[Generation.Choose(logits, temperature, (k + 0.5) / draws)]++;
        for (int c = 0; c < 4; c++) Assert.InRange(counts[c] / (double)draws, probabilities[c] - 2.0 / draws, probabilities[c] + 2.0 / draws);
        Assert.Equal(0, Generation.Choose(logits, 0.0, 0.99));
        Assert.Throws<ArgumentException>(() => Generation.Choose(logits, -1.0, 0.5));
    }

    [Fact]
    public void Encoder_final_state_starts_the_decoder_and_gradients_flow_back_into_the_encoder()
    {
        var options = new RecurrentLayerOptions { NumLayers = 2 };
        var encoder = RecurrentLayer.Lstm<double>(Features, Hidden, options);
        var decoder = RecurrentLayer.Lstm<double>(Features, Hidden, options);
        var parameters = encoder.Initialize(10).WithPrefix("encoder.").Concat(decoder.Initialize(11).WithPrefix("decoder."));
        var source = Inputs();
        var target = Tensor.RandomNormal<double>([3, Batch, Features], 12);

        Tensor<double> Decode(Params<double> p)
        {
            var encoded = encoder.Apply(p.Select("encoder."), source, Lengths);
            return decoder.Apply(p.Select("decoder."), target, initialStates: encoded.FinalStates).Output;
        }

        var encoded = encoder.Apply(parameters.Select("encoder."), source, Lengths);
        var withState = decoder.Apply(parameters.Select("decoder."), target, initialStates: encoded.FinalStates).Output;
        var fromZero = decoder.Apply(parameters.Select("decoder."), target).Output;
        Assert.False(withState.AllClose(fromZero, 1e-6, 1e-6));
        var gradients = Grad.Gradient(p => Tensor.Sum(Decode(p)), parameters);
        Assert.Contains(gradients["encoder.weight_hh_l1"].ToArray(), g => g != 0);
        var check = GradCheck.Run(Decode, parameters);
        Assert.True(check.Passed, check.ToString());
    }
}
