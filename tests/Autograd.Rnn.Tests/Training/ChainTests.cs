namespace Autograd.Rnn.Tests.Training;

/// <summary>
/// <see cref="IOptimizer"/> values and <see cref="Optimizer.Chain(IGradientTransform, IOptimizer, Schedule?)"/>: each is
/// the static step it wraps, and a chain is its parts applied by hand, bit for bit.
/// </summary>
public class ChainTests
{
    [Fact]
    public void Chain_of_clip_Adam_and_a_schedule_equals_the_three_done_by_hand()
    {
        var adam = AdamOptions.Default.WithBetas(0.8, 0.95);
        var schedule = Schedule.Cosine(0.05, totalSteps: 6).WithLinearWarmup(2);
        var chain = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(1.0), Optimizer.Adam(adam), schedule);

        var parameters = OptimizerTestData.Parameters();
        var (byHand, byHandState) = (parameters, Adam.Init(parameters, adam));
        var (chained, chainedState) = (parameters, chain.Init(parameters));
        for (int step = 0; step < 8; step++)
        {
            var gradients = OptimizerTestData.Gradients(step);
            var clipped = Clip.ByGlobalNorm(gradients, 1.0).Gradients;
            (byHand, byHandState) = Adam.Step(byHand, clipped, byHandState, adam.WithLearningRate(schedule.At(step)));
            (chained, chainedState) = chain.Update(chained, gradients, chainedState);
            OptimizerTestData.AssertIdentical(byHand, chained);
            OptimizerTestData.AssertIdentical(byHandState.ToParams(), chainedState.ToParams());
        }
        Assert.IsType<AdamState<double>>(chainedState);
        Assert.Equal(8, chainedState.Step);
    }

    [Fact]
    public void Transforms_run_in_order_before_the_optimizer()
    {
        var sgd = SgdOptions.Default.WithLearningRate(0.1).WithMomentum(0.9);
        var chain = Optimizer.Chain([GradientTransform.ClipByValue(0.5), GradientTransform.ClipByGlobalNorm(0.7)], Optimizer.Sgd(sgd));
        var parameters = OptimizerTestData.Parameters();
        var (byHand, byHandState) = (parameters, Sgd.Init(parameters, sgd));
        var (chained, chainedState) = (parameters, chain.Init(parameters));
        for (int step = 0; step < 3; step++)
        {
            var gradients = OptimizerTestData.Gradients(step);
            var clipped = Clip.ByGlobalNorm(Clip.ByValue(gradients, 0.5).Gradients, 0.7).Gradients;
            (byHand, byHandState) = Sgd.Step(byHand, clipped, byHandState, sgd);
            (chained, chainedState) = chain.Update(chained, gradients, chainedState);
        }
        OptimizerTestData.AssertIdentical(byHand, chained);
    }

    public static TheoryData<string> Optimizers() => new(["Sgd", "Adam", "AdamW", "RmsProp", "Adagrad"]);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_optimizer_value_is_its_static_step(string name)
    {
        var parameters = OptimizerTestData.Parameters();
        Func<Params<double>, Params<double>, OptimizerState<double>, OptimizerStep<double, OptimizerState<double>>> byStatic;
        IOptimizer optimizer;
        OptimizerState<double> state;
        switch (name)
        {
            case "Sgd":
                var sgd = SgdOptions.Default.WithMomentum(0.9).WithNesterov(true);
                (optimizer, state) = (Optimizer.Sgd(sgd), Sgd.Init(parameters, sgd));
                byStatic = (p, g, s) => Widen(Sgd.Step(p, g, (SgdState<double>)s, sgd));
                break;
            case "Adam":
            case "AdamW":
                var adam = (name == "Adam" ? AdamOptions.Default.WithWeightDecay(0.1) : AdamOptions.AdamW).WithAmsGrad(true);
                (optimizer, state) = (Optimizer.Adam(adam), Adam.Init(parameters, adam));
                byStatic = (p, g, s) => Widen(Adam.Step(p, g, (AdamState<double>)s, adam));
                break;
            case "RmsProp":
                var rms = RmsPropOptions.Default.WithCentered(true).WithMomentum(0.5);
                (optimizer, state) = (Optimizer.RmsProp(rms), RmsProp.Init(parameters, rms));
                byStatic = (p, g, s) => Widen(RmsProp.Step(p, g, (RmsPropState<double>)s, rms));
                break;
            default:
                var adagrad = AdagradOptions.Default.WithInitialAccumulatorValue(0.1);
                (optimizer, state) = (Optimizer.Adagrad(adagrad), Adagrad.Init(parameters, adagrad));
                byStatic = (p, g, s) => Widen(Adagrad.Step(p, g, (AdagradState<double>)s, adagrad));
                break;
        }
        OptimizerTestData.AssertIdentical(state.ToParams(), optimizer.Init(parameters).ToParams());
        var (p1, s1) = (parameters, state);
        var (p2, s2) = (parameters, optimizer.Init(parameters));
        for (int step = 0; step < 3; step++)
        {
            (p1, s1) = byStatic(p1, OptimizerTestData.Gradients(step), s1);
            (p2, s2) = optimizer.Update(p2, OptimizerTestData.Gradients(step), s2);
        }
        OptimizerTestData.AssertIdentical(p1, p2);
        OptimizerTestData.AssertIdentical(s1.ToParams(), s2.ToParams());
        var restored = optimizer.StateFromParams(s2.ToParams());
        Assert.IsType(s1.GetType(), restored);
        OptimizerTestData.AssertIdentical(s1.ToParams(), restored.ToParams());
    }

    private static OptimizerStep<double, OptimizerState<double>> Widen<TState>(OptimizerStep<double, TState> step)
        where TState : OptimizerState<double> => new(step.Parameters, step.State);

    [Fact]
    public void A_chain_without_transforms_or_schedule_is_its_optimizer()
    {
        var parameters = OptimizerTestData.Parameters();
        var adagrad = Optimizer.Adagrad();
        var chain = Optimizer.Chain([], adagrad);
        var direct = adagrad.Update(parameters, OptimizerTestData.Gradients(0), adagrad.Init(parameters));
        var chained = chain.Update(parameters, OptimizerTestData.Gradients(0), chain.Init(parameters));
        OptimizerTestData.AssertIdentical(direct.Parameters, chained.Parameters);
    }

    [Fact]
    public void A_schedule_alone_sets_the_rate_of_each_step()
    {
        var schedule = Schedule.StepDecay(0.1, stepSize: 1, gamma: 0.5);
        var chain = Optimizer.Chain(Optimizer.Sgd(), schedule);
        var parameters = Params<double>.Empty.Add("w", Tensor.FromArray([1.0]));
        var gradients = Params<double>.Empty.Add("w", Tensor.FromArray([1.0]));
        var state = chain.Init(parameters);
        var values = new List<double>();
        for (int step = 0; step < 3; step++)
        {
            (parameters, state) = chain.Update(parameters, gradients, state);
            values.Add(parameters["w"].Item);
        }
        Assert.Equal([0.9, 0.85, 0.825], values, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void A_fixed_learning_rate_under_a_schedule_is_refused()
    {
        var chain = Optimizer.Chain(Optimizer.Adam(), Schedule.Constant(0.1));
        var error = Assert.Throws<InvalidOperationException>(() => chain.WithLearningRate(0.2));
        Assert.Contains("Constant(0.1)", error.Message);
        Assert.NotNull(Optimizer.Chain(GradientTransform.ClipByValue(1), Optimizer.Adam()).WithLearningRate(0.2));
    }

    [Fact]
    public void Transform_arguments_are_checked_when_the_transform_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientTransform.ClipByGlobalNorm(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientTransform.ClipByValue(double.NaN));
        Assert.Throws<ArgumentException>(() => Optimizer.Sgd(SgdOptions.Default.WithNesterov(true)));
    }

    [Fact]
    public void An_optimizer_value_drives_truncated_BPTT()
    {
        var cell = Cells.Gru<double>();
        var parameters = cell.Initialize(2, 3, seed: 1);
        var inputs = Tensor.RandomNormal<double>([6, 1, 2], seed: 2);
        var optimizer = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(1.0), Optimizer.Adam(), Schedule.Constant(0.01));
        var result = TruncatedBptt.Run(cell, parameters, RecurrentState<double>.Of(Tensor.Zeros<double>(1, 3)), inputs, chunkLength: 2,
            (p, chunk) => Tensor.Sum(chunk.Outputs * chunk.Outputs), optimizer.Init(parameters), optimizer.Update);
        Assert.Equal(3, result.OptimizerState.Step);
    }
}
