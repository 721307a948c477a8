using Autograd.Rnn.Tests.Plans;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// A reverse sweep with nothing above it lends its scratch to the results of the ops its VJP rules run; the arrays go back
/// to the thread's pool when the sweep ends and the next sweep writes them again. So a gradient handed to the caller must
/// never be one of them, a nested call's values never come from them, and a repeated step allocates less than its
/// cotangents would take.
/// </summary>
public class SweepArenaTests
{
    private static readonly Tensor<double> X = Tensor.RandomNormal<double>([64, 48], seed: 1);

    // x's gradient is the product rule's result (g ⊙ (1 − tanh²)) ⊙ w: a VJP rule's result handed on as the leaf's gradient.
    private static Tensor<double> Loss(Params<double> p) => Tensor.Mean(Tensor.Tanh(p["x"] * p["w"]) * 3.0);

    [Fact]
    public void A_gradient_made_by_a_vjp_rule_in_lent_scratch_stays_intact_after_later_sweeps()
    {
        var parameters = Params<double>.Empty.Add("x", X).Add("w", Tensor.RandomNormal<double>([64, 48], seed: 2));
        var first = Grad.ValueAndGrad(Loss, parameters);
        var kept = first.Gradients["x"].ToArray();
        var expected = Tensor.Tanh(X * parameters["w"]);
        // Later sweeps on this thread take the same scratch again and write other values into it.
        for (int i = 0; i < 4; i++)
            Grad.ValueAndGrad(Loss, parameters.With("x", Tensor.RandomNormal<double>([64, 48], seed: (ulong)(10 + i))));
        Assert.Equal(kept, first.Gradients["x"].ToArray());
        // And it is the right gradient: 3/n · (1 − tanh²(x·w)) · w.
        var analytic = (Tensor.OnesLike(expected) - expected * expected) * parameters["w"] * (3.0 / X.Size);
        Assert.True(first.Gradients["x"].AllClose(analytic, 1e-14, 1e-15));
    }

    [Fact]
    public void Gradients_of_gradients_see_no_lent_scratch()
    {
        // The inner sweep runs under the outer level: it lends nothing, and the outer sweep differentiates its ops.
        var w = Tensor.RandomNormal<double>([64, 48], seed: 3);
        Tensor<double> InnerGradientNorm(Tensor<double> x) => Tensor.Sum(Grad.Gradient(v => Tensor.Mean(Tensor.Tanh(v * w)), x) * x);
        var x = Tensor.RandomNormal<double>([64, 48], seed: 4);
        var second = Grad.Gradient(InnerGradientNorm, x);
        var secondAgain = Grad.Gradient(InnerGradientNorm, x);
        Assert.Equal(second.ToArray(), secondAgain.ToArray());
        Assert.True(GradCheck.Run(InnerGradientNorm, x).Passed);
    }

    [Fact]
    public void A_repeated_training_step_allocates_less_than_its_cotangents_take()
    {
        var parameters = Params<float>.Empty.Add("w", Tensor.RandomNormal<float>([256, 256], seed: 5));
        var input = Tensor.RandomNormal<float>([256, 256], seed: 6);
        GradientResult<float> Step() => Grad.ValueAndGrad(p => Tensor.Mean(Tensor.Tanh(input.MatMul(p["w"])) * 2f), parameters);
        long allocated = 0;
        FreshThread.Run(() =>
        {
            for (int i = 0; i < 3; i++) Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        // Forward: the product, tanh and the scaled value; the weight's gradient; everything else is small. The backward
        // pass's own [256, 256] cotangents (the mean's broadcast, the scale's, tanh's) come from the lent scratch: without
        // it the step allocates three more of them.
        const long array = 256 * 256 * sizeof(float);
        Assert.True(allocated < 4 * array + array / 2, $"allocated {allocated} bytes; four arrays are {4 * array}");
    }
}
