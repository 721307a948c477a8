namespace Autograd.Rnn.Tests.Training;

/// <summary>SGD against its update rule computed element by element in plain double arithmetic.</summary>
public class SgdTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, false)]
    [InlineData(0.9, 0.1, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, true)]
    [InlineData(0.5, 0.0, 0.05, true)]
    [InlineData(0.0, 0.0, 0.05, false)]
    public void Three_steps_follow_torch_optim_SGD(double momentum, double dampening, double weightDecay, bool nesterov)
    {
        const double lr = 0.1;
        var options = SgdOptions.Default.WithLearningRate(lr).WithMomentum(momentum).WithDampening(dampening)
            .WithWeightDecay(weightDecay).WithNesterov(nesterov);
        var parameters = OptimizerTestData.Parameters();
        var state = Sgd.Init(parameters, options);
        var theta = OptimizerTestData.Values(parameters);
        var buffer = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);

        for (int step = 0; step < 3; step++)
        {
            var gradients = OptimizerTestData.Gradients(step);
            var g0 = OptimizerTestData.Values(gradients);
            OptimizerTestData.ForEachElement(theta, (name, i) =>
            {
                double g = g0[name][i] + weightDecay * theta[name][i];
                if (momentum != 0)
                {
                    buffer[name][i] = step == 0 ? g : momentum * buffer[name][i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buffer[name][i] : buffer[name][i];
                }
                theta[name][i] -= lr * g;
            });
            var result = Sgd.Step(parameters, gradients, state, options);
            OptimizerTestData.AssertClose(theta, result.Parameters, $"step {step + 1}");
            if (momentum != 0) OptimizerTestData.AssertClose(buffer, result.State.MomentumBuffer, $"momentum buffer at step {step + 1}");
            else Assert.Empty(result.State.MomentumBuffer);
            Assert.Equal(step + 1, result.State.Step);
            (parameters, state) = (result.Parameters, result.State);
        }
    }

    [Fact]
    public void Nesterov_without_momentum_is_refused()
    {
        var parameters = OptimizerTestData.Parameters();
        var error = Assert.Throws<ArgumentException>(() =>
            Sgd.Step(parameters, OptimizerTestData.Gradients(0), Sgd.Init(parameters), SgdOptions.Default.WithNesterov(true)));
        Assert.Contains("Nesterov", error.Message);
    }

    [Fact]
    public void Gradients_with_other_names_are_refused()
    {
        var parameters = OptimizerTestData.Parameters();
        var gradients = Params<double>.Empty.Add("weight", Tensor.Zeros<double>(2, 3));
        var error = Assert.Throws<ArgumentException>(() => Sgd.Step(parameters, gradients, Sgd.Init(parameters)));
        Assert.Contains("names differ", error.Message);
    }
}
