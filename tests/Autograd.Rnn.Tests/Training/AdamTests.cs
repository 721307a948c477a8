namespace Autograd.Rnn.Tests.Training;

/// <summary>Adam and AdamW against their update rules computed element by element in plain double arithmetic.</summary>
public class AdamTests
{
    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.1)]
    [InlineData(true, 0.0)]
    public void Three_steps_follow_torch_optim_Adam_and_AdamW(bool decoupled, double weightDecay)
    {
        const double lr = 0.01, beta1 = 0.8, beta2 = 0.95, eps = 1e-6;
        var parameters = OptimizerTestData.Parameters();
        var state = decoupled ? AdamW.Init(parameters) : Adam.Init(parameters);
        var theta = OptimizerTestData.Values(parameters);
        var m = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        var v = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);

        for (int step = 0; step < 3; step++)
        {
            int t = step + 1;
            var gradients = OptimizerTestData.Gradients(step);
            var g0 = OptimizerTestData.Values(gradients);
            OptimizerTestData.ForEachElement(theta, (name, i) =>
            {
                double g = g0[name][i];
                if (decoupled) theta[name][i] *= 1 - lr * weightDecay;
                else g += weightDecay * theta[name][i];
                m[name][i] = beta1 * m[name][i] + (1 - beta1) * g;
                v[name][i] = beta2 * v[name][i] + (1 - beta2) * g * g;
                double mHat = m[name][i] / (1 - Math.Pow(beta1, t));
                double denominator = Math.Sqrt(v[name][i]) / Math.Sqrt(1 - Math.Pow(beta2, t)) + eps;
                theta[name][i] -= lr * mHat / denominator;
            });
            var result = decoupled
                ? AdamW.Step(parameters, gradients, state, new AdamWOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Epsilon = eps, WeightDecay = weightDecay })
                : Adam.Step(parameters, gradients, state, AdamOptions.Default.WithLearningRate(lr).WithBetas(beta1, beta2).WithEpsilon(eps).WithWeightDecay(weightDecay));
            OptimizerTestData.AssertClose(theta, result.Parameters, $"step {t}");
            OptimizerTestData.AssertClose(m, result.State.ExpAvg, $"exp_avg at step {t}");
            OptimizerTestData.AssertClose(v, result.State.ExpAvgSq, $"exp_avg_sq at step {t}");
            Assert.Equal(t, result.State.Step);
            (parameters, state) = (result.Parameters, result.State);
        }
    }

    [Fact]
    public void Defaults_are_PyTorchs()
    {
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.0),
            (AdamOptions.Default.LearningRate, AdamOptions.Default.Beta1, AdamOptions.Default.Beta2, AdamOptions.Default.Epsilon, AdamOptions.Default.WeightDecay));
        Assert.Equal(1e-2, AdamWOptions.Default.WeightDecay);
        Assert.Equal((1e-2, 0.99, 1e-8), (RmsPropOptions.Default.LearningRate, RmsPropOptions.Default.Alpha, RmsPropOptions.Default.Epsilon));
        Assert.Equal((1e-2, 1e-10), (AdagradOptions.Default.LearningRate, AdagradOptions.Default.Epsilon));
        Assert.Equal(1e-3, SgdOptions.Default.LearningRate);
    }

    [Fact]
    public void The_first_step_moves_every_entry_by_about_the_learning_rate()
    {
        // With bias correction, m̂/√v̂ = g/|g| at step 1: Adam's first step has size lr whatever the gradient's scale.
        var parameters = OptimizerTestData.Parameters();
        var gradients = OptimizerTestData.Gradients(0).Map(g => g * 1000.0);
        var result = Adam.Step(parameters, gradients, Adam.Init(parameters), AdamOptions.Default.WithLearningRate(0.01));
        foreach (var (name, tensor) in parameters)
        {
            var before = tensor.ToArray();
            var after = result.Parameters[name].ToArray();
            for (int i = 0; i < before.Length; i++) Assert.Equal(0.01, Math.Abs(after[i] - before[i]), 1e-9);
        }
    }
}
