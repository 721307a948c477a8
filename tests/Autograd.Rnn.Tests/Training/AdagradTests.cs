namespace Autograd.Rnn.Tests.Training;

/// <summary>Adagrad against its update rule computed element by element in plain double arithmetic.</summary>
public class AdagradTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.5, 0.0, 0.0)]
    [InlineData(0.0, 0.1, 0.0)]
    [InlineData(0.3, 0.2, 0.05)]
    public void Three_steps_follow_torch_optim_Adagrad(double lrDecay, double initialAccumulator, double weightDecay)
    {
        const double lr = 0.1, eps = 1e-10;
        var options = AdagradOptions.Default.WithLearningRate(lr).WithLearningRateDecay(lrDecay)
            .WithInitialAccumulatorValue(initialAccumulator).WithWeightDecay(weightDecay).WithEpsilon(eps);
        var parameters = OptimizerTestData.Parameters();
        var state = Adagrad.Init(parameters, options);
        var theta = OptimizerTestData.Values(parameters);
        var sum = theta.ToDictionary(p => p.Key, p => Enumerable.Repeat(initialAccumulator, p.Value.Length).ToArray());
        OptimizerTestData.AssertClose(sum, state.Sum, "initial sum");

        for (int step = 0; step < 3; step++)
        {
            int t = step + 1;
            var gradients = OptimizerTestData.Gradients(step);
            var g0 = OptimizerTestData.Values(gradients);
            OptimizerTestData.ForEachElement(theta, (name, i) =>
            {
                double g = g0[name][i] + weightDecay * theta[name][i];
                sum[name][i] += g * g;
                double clr = lr / (1 + (t - 1) * lrDecay);
                theta[name][i] -= clr * g / (Math.Sqrt(sum[name][i]) + eps);
            });
            var result = Adagrad.Step(parameters, gradients, state, options);
            OptimizerTestData.AssertClose(theta, result.Parameters, $"step {t}");
            OptimizerTestData.AssertClose(sum, result.State.Sum, $"sum at step {t}");
            (parameters, state) = (result.Parameters, result.State);
        }
    }
}
