namespace Autograd.Rnn.Tests.Training;

/// <summary>RMSProp against its update rule computed element by element in plain double arithmetic.</summary>
public class RmsPropTests
{
    [Theory]
    [InlineData(false, 0.0, 0.0)]
    [InlineData(true, 0.0, 0.0)]
    [InlineData(false, 0.9, 0.0)]
    [InlineData(true, 0.9, 0.05)]
    public void Three_steps_follow_torch_optim_RMSprop(bool centered, double momentum, double weightDecay)
    {
        const double lr = 0.01, alpha = 0.9, eps = 1e-6;
        var options = RmsPropOptions.Default.WithLearningRate(lr).WithAlpha(alpha).WithEpsilon(eps)
            .WithCentered(centered).WithMomentum(momentum).WithWeightDecay(weightDecay);
        var parameters = OptimizerTestData.Parameters();
        var state = RmsProp.Init(parameters, options);
        var theta = OptimizerTestData.Values(parameters);
        var square = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        var mean = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        var buffer = theta.ToDictionary(p => p.Key, p => new double[p.Value.Length]);

        for (int step = 0; step < 3; step++)
        {
            var gradients = OptimizerTestData.Gradients(step);
            var g0 = OptimizerTestData.Values(gradients);
            OptimizerTestData.ForEachElement(theta, (name, i) =>
            {
                double g = g0[name][i] + weightDecay * theta[name][i];
                square[name][i] = alpha * square[name][i] + (1 - alpha) * g * g;
                double variance = square[name][i];
                if (centered)
                {
                    mean[name][i] = alpha * mean[name][i] + (1 - alpha) * g;
                    variance -= mean[name][i] * mean[name][i];
                }
                double average = Math.Sqrt(variance) + eps;
                if (momentum > 0)
                {
                    buffer[name][i] = momentum * buffer[name][i] + g / average;
                    theta[name][i] -= lr * buffer[name][i];
                }
                else
                {
                    theta[name][i] -= lr * g / average;
                }
            });
            var result = RmsProp.Step(parameters, gradients, state, options);
            OptimizerTestData.AssertClose(theta, result.Parameters, $"step {step + 1}");
            OptimizerTestData.AssertClose(square, result.State.SquareAvg, $"square_avg at step {step + 1}");
            if (centered) OptimizerTestData.AssertClose(mean, result.State.GradAvg, $"grad_avg at step {step + 1}");
            else Assert.Empty(result.State.GradAvg);
            if (momentum > 0) OptimizerTestData.AssertClose(buffer, result.State.MomentumBuffer, $"momentum_buffer at step {step + 1}");
            else Assert.Empty(result.State.MomentumBuffer);
            (parameters, state) = (result.Parameters, result.State);
        }
    }

    [Fact]
    public void Centered_RMSProp_stays_finite_when_rounding_makes_the_variance_negative()
    {
        // v − ḡ² is ≥ 0 in exact arithmetic; here the state holds v a hair below ḡ², as thousands of steps of a steady
        // gradient can leave it. √ of the difference used to be NaN, and θ NaN from then on.
        var parameters = Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 1f, 2f }, 2));
        var gradients = Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 0.1f, 0.1f }, 2));
        var options = RmsPropOptions.Default.WithCentered(true).WithAlpha(0.99);
        var state = new RmsPropState<float>(5000,
            Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 0.00999999f, 0.00999999f }, 2)),
            Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 0.1f, 0.1f }, 2)),
            Params<float>.Empty);
        var result = RmsProp.Step(parameters, gradients, state, options);
        Assert.All(result.Parameters["w"].ToArray(), v => Assert.True(float.IsFinite(v), $"θ = {v}"));
    }

    [Fact]
    public void Centered_RMSProp_stays_finite_over_thousands_of_steps_of_a_steady_gradient()
    {
        var parameters = Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 1f, -1f, 0.5f, 3f }, 4));
        var gradients = Params<float>.Empty.Add("w", Tensor.FromArray(new float[] { 0.1f, -0.3f, 1e-3f, 7f }, 4));
        var options = RmsPropOptions.Default.WithCentered(true).WithLearningRate(1e-6);
        var state = RmsProp.Init(parameters, options);
        for (int step = 0; step < 5000; step++) (parameters, state) = RmsProp.Step(parameters, gradients, state, options);
        Assert.All(parameters["w"].ToArray(), v => Assert.True(float.IsFinite(v), $"θ = {v}"));
    }
}
