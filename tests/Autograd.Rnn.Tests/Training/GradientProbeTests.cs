namespace Autograd.Rnn.Tests.Training;

/// <summary>The gradient probe shows vanishing gradients for contracting recurrences and exploding ones for expanding ones.</summary>
public class GradientProbeTests
{
    private const int Steps = 12, Batch = 2, Hidden = 6, Features = 3;

    private static Tensor<double> LastStepSum(Tensor<double> outputs) => Tensor.Sum(Tensor.Narrow(outputs, 0, Steps - 1, 1));

    private static GradientProbeResult<double> Probe(Nonlinearity nonlinearity, Tensor<double> recurrentWeights, Tensor<double> inputs)
    {
        var cell = Cells.Rnn<double>(nonlinearity);
        var parameters = cell.Initialize(Features, Hidden, seed: 3).With("weight_hh", recurrentWeights);
        return GradientProbe.HiddenStateGradients(cell, parameters, cell.ZeroState(Batch, Hidden), inputs, LastStepSum);
    }

    [Fact]
    public void With_small_recurrent_weights_and_tanh_the_gradient_vanishes_going_back_in_time()
    {
        var inputs = Tensor.RandomNormal<double>([Steps, Batch, Features], seed: 5);
        var result = Probe(Nonlinearity.Tanh, Init.Orthogonal<double>(Hidden, Hidden, seed: 9, gain: 0.5), inputs);
        Assert.Equal(Steps, result.Norms.Length);
        // ∂L/∂h_last is all ones.
        Assert.Equal(Math.Sqrt(Batch * Hidden), result.Norms[Steps - 1], 1e-12);
        for (int t = 0; t < Steps - 1; t++)
            Assert.True(result.Norms[t] < result.Norms[t + 1], $"‖∂L/∂h_{t}‖ = {result.Norms[t]} is not below ‖∂L/∂h_{t + 1}‖ = {result.Norms[t + 1]}");
        Assert.True(result.Norms[0] < 1e-3 * result.Norms[Steps - 1]);
    }

    [Fact]
    public void With_large_orthogonal_weights_and_relu_the_gradient_explodes_going_back_in_time()
    {
        var inputs = Tensor.RandomUniform<double>([Steps, Batch, Features], seed: 6, low: 0.0, high: 1.0);
        var result = Probe(Nonlinearity.Relu, Init.Orthogonal<double>(Hidden, Hidden, seed: 9, gain: 3.0), inputs);
        Assert.True(result.Norms[0] > 100 * result.Norms[Steps - 1],
            $"norms from first to last step: {string.Join(", ", result.Norms.Select(n => n.ToString("G3")))}");
    }

    [Fact]
    public void With_recurrent_weights_three_times_the_identity_and_relu_each_step_back_multiplies_the_norm_by_three()
    {
        // Positive inputs, weights and biases keep every unit active, so ∂h_{t+1}/∂h_t = 3·I exactly.
        var cell = Cells.Rnn<double>(Nonlinearity.Relu);
        var parameters = cell.Initialize(Features, Hidden, seed: 3)
            .Map(t => Tensor.Abs(t))
            .With("weight_hh", Tensor.Eye<double>(Hidden) * 3.0);
        var inputs = Tensor.RandomUniform<double>([Steps, Batch, Features], seed: 6, low: 0.1, high: 1.0);
        var result = GradientProbe.HiddenStateGradients(cell, parameters, cell.ZeroState(Batch, Hidden), inputs, LastStepSum);
        for (int t = 0; t < Steps; t++)
            Assert.Equal(Math.Sqrt(Batch * Hidden) * Math.Pow(3, Steps - 1 - t), result.Norms[t], 1e-9 * Math.Pow(3, Steps - 1 - t));
    }

    [Fact]
    public void The_probe_does_not_change_the_loss()
    {
        var cell = Cells.Lstm<double>();
        var parameters = cell.Initialize(Features, Hidden, seed: 4);
        var inputs = Tensor.RandomNormal<double>([Steps, Batch, Features], seed: 7);
        var state = cell.ZeroState(Batch, Hidden);
        var result = GradientProbe.HiddenStateGradients(cell, parameters, state, inputs, o => Tensor.Sum(o * o));
        var outputs = Recurrence.Scan(cell, parameters, state, inputs).Outputs;
        Assert.Equal(Tensor.Sum(outputs * outputs).Item, result.Loss);
        Assert.All(result.Norms, n => Assert.True(n > 0));
    }

    [Fact]
    public void Float_norms_far_below_float_squares_range_are_still_measured()
    {
        // Gradient entries near 1e-24 square to 0 in float; the norms must be summed in double.
        const int steps = 80;
        var cell = Cells.Rnn<float>();
        var parameters = cell.Initialize(Features, Hidden, seed: 3).With("weight_hh", Init.Orthogonal<float>(Hidden, Hidden, seed: 9, gain: 0.5));
        var inputs = Tensor.RandomNormal<float>([steps, Batch, Features], seed: 5);
        var result = GradientProbe.HiddenStateGradients(cell, parameters, cell.ZeroState(Batch, Hidden), inputs,
            outputs => Tensor.Sum(Tensor.Narrow(outputs, 0, steps - 1, 1)));
        Assert.True(result.Norms[0] > 0, "the norm at t = 0 underflowed to 0");
        Assert.True(result.Norms[0] < 1e-20, $"expected a vanished gradient, got {result.Norms[0]}");
        for (int t = 0; t < steps - 1; t++) Assert.True(result.Norms[t] < result.Norms[t + 1]);
    }
}
