namespace Autograd.Rnn.Tests.Training;

/// <summary>Adam, AdamW, AMSGrad and maximize against their update rules computed element by element in plain double arithmetic.</summary>
public class AdamTests
{
    [Theory]
    [InlineData(false, 0.0, false, false)]
    [InlineData(false, 0.1, false, false)]
    [InlineData(true, 0.1, false, false)]
    [InlineData(true, 0.0, false, false)]
    [InlineData(false, 0.0, true, false)]
    [InlineData(false, 0.0, false, true)]
    [InlineData(false, 0.1, true, true)]
    [InlineData(true, 0.1, true, true)]
    public void Five_steps_follow_torch_optim_Adam_and_AdamW(bool decoupled, double weightDecay, bool amsGrad, bool maximize)
    {
        const double lr = 0.01, beta1 = 0.8, beta2 = 0.95, eps = 1e-6;
        var options = AdamOptions.Default.WithLearningRate(lr).WithBetas(beta1, beta2).WithEpsilon(eps).WithWeightDecay(weightDecay)
            .WithDecoupledWeightDecay(decoupled).WithAmsGrad(amsGrad).WithMaximize(maximize);
        var parameters = OptimizerTestData.Parameters();
        var state = Adam.Init(parameters, options);
        var theta = OptimizerTestData.Values(parameters);
        var m = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        var v = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        var vMax = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);

        // Five steps: the gradients shrink from step 3 on, so v falls below its running maximum and AMSGrad differs from Adam.
        for (int step = 0; step < 5; step++)
        {
            int t = step + 1;
            var gradients = OptimizerTestData.Gradients(step);
            if (step >= 2) gradients = gradients.Map(g => g * 0.1);
            var g0 = OptimizerTestData.Values(gradients);
            OptimizerTestData.ForEachElement(theta, (name, i) =>
            {
                double g = maximize ? -g0[name][i] : g0[name][i];
                if (decoupled) theta[name][i] *= 1 - lr * weightDecay;
                else g += weightDecay * theta[name][i];
                m[name][i] = beta1 * m[name][i] + (1 - beta1) * g;
                v[name][i] = beta2 * v[name][i] + (1 - beta2) * g * g;
                double mHat = m[name][i] / (1 - Math.Pow(beta1, t));
                vMax[name][i] = Math.Max(vMax[name][i], v[name][i]);
                double denominator = Math.Sqrt(amsGrad ? vMax[name][i] : v[name][i]) / Math.Sqrt(1 - Math.Pow(beta2, t)) + eps;
                theta[name][i] -= lr * mHat / denominator;
            });
            var result = Adam.Step(parameters, gradients, state, options);
            OptimizerTestData.AssertClose(theta, result.Parameters, $"step {t}");
            OptimizerTestData.AssertClose(m, result.State.ExpAvg, $"exp_avg at step {t}");
            OptimizerTestData.AssertClose(v, result.State.ExpAvgSq, $"exp_avg_sq at step {t}");
            if (amsGrad) OptimizerTestData.AssertClose(vMax, result.State.MaxExpAvgSq, $"max_exp_avg_sq at step {t}");
            else Assert.Empty(result.State.MaxExpAvgSq);
            Assert.Equal(t, result.State.Step);
            (parameters, state) = (result.Parameters, result.State);
        }
    }

    [Fact]
    public void Defaults_are_PyTorchs()
    {
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.0),
            (AdamOptions.Default.LearningRate, AdamOptions.Default.Beta1, AdamOptions.Default.Beta2, AdamOptions.Default.Epsilon, AdamOptions.Default.WeightDecay));
        Assert.Equal((1e-2, true, false, false),
            (AdamOptions.AdamW.WeightDecay, AdamOptions.AdamW.DecoupledWeightDecay, AdamOptions.AdamW.AmsGrad, AdamOptions.AdamW.Maximize));
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

    [Fact]
    public void AMSGrad_steps_are_never_longer_than_Adams_once_the_gradients_shrink()
    {
        // v̂ ≥ v, so each AMSGrad step is at most Adam's from the same state; with shrinking gradients it is shorter.
        var parameters = OptimizerTestData.Parameters();
        var adam = AdamOptions.Default.WithLearningRate(0.01);
        var amsGrad = adam.WithAmsGrad(true);
        var (pa, sa) = (parameters, Adam.Init(parameters, adam));
        var (pm, sm) = (parameters, Adam.Init(parameters, amsGrad));
        for (int step = 0; step < 6; step++)
        {
            var g = OptimizerTestData.Gradients(step).Map(t => t * Math.Pow(0.3, step));
            var adamStep = Adam.Step(pm, g, sm, adam);
            var (nextM, nextSm) = Adam.Step(pm, g, sm, amsGrad);
            foreach (var name in parameters.Names)
            {
                var before = pm[name].ToArray();
                var ams = nextM[name].ToArray();
                var plain = adamStep.Parameters[name].ToArray();
                for (int i = 0; i < before.Length; i++)
                    Assert.True(Math.Abs(ams[i] - before[i]) <= Math.Abs(plain[i] - before[i]) * (1 + 1e-12), $"step {step + 1} {name}[{i}]");
            }
            (pm, sm) = (nextM, nextSm);
            (pa, sa) = Adam.Step(pa, g, sa, adam);
        }
        Assert.False(pa["weight"].ToArray().SequenceEqual(pm["weight"].ToArray()));
    }

    [Fact]
    public void Maximize_is_minimizing_the_negated_objective()
    {
        var parameters = OptimizerTestData.Parameters();
        var options = AdamOptions.AdamW.WithLearningRate(0.02).WithAmsGrad(true);
        var (pMax, sMax) = (parameters, Adam.Init(parameters, options));
        var (pMin, sMin) = (parameters, Adam.Init(parameters, options));
        for (int step = 0; step < 4; step++)
        {
            var g = OptimizerTestData.Gradients(step);
            (pMax, sMax) = Adam.Step(pMax, g, sMax, options.WithMaximize(true));
            (pMin, sMin) = Adam.Step(pMin, g.Map(t => -t), sMin, options);
        }
        OptimizerTestData.AssertIdentical(pMin, pMax);
        OptimizerTestData.AssertIdentical(sMin.ToParams(), sMax.ToParams());
    }
}
