namespace Autograd.Rnn.Tests.Training;

/// <summary>
/// The laws every optimizer obeys: a step is a pure function of its inputs, and its state survives a round trip
/// through <c>ToParams</c>/<c>FromParams</c> (what checkpoints save).
/// </summary>
public class OptimizerPurityTests
{
    /// <summary>An optimizer as three functions over its state, so the same laws run over all of them.</summary>
    public sealed record Case(
        string Name,
        Func<Params<double>, object> Init,
        Func<Params<double>, Params<double>, object, (Params<double> Parameters, object State)> Step,
        Func<object, Params<double>> ToParams,
        Func<Params<double>, object> FromParams)
    {
        public override string ToString() => Name;
    }

    private static Case Make<TState>(string name, Func<Params<double>, TState> init,
        Func<Params<double>, Params<double>, TState, OptimizerStep<double, TState>> step,
        Func<TState, Params<double>> toParams, Func<Params<double>, TState> fromParams) where TState : class =>
        new(name, p => init(p)!, (p, g, s) => { var r = step(p, g, (TState)s); return (r.Parameters, r.State!); },
            s => toParams((TState)s), t => fromParams(t)!);

    public static TheoryData<Case> Cases()
    {
        var sgd = SgdOptions.Default.WithLearningRate(0.1).WithMomentum(0.9).WithNesterov(true).WithWeightDecay(0.01);
        var adam = AdamOptions.Default.WithLearningRate(0.01).WithWeightDecay(0.01);
        var adamW = AdamOptions.AdamW.WithLearningRate(0.01);
        var amsGrad = AdamOptions.Default.WithLearningRate(0.01).WithAmsGrad(true).WithMaximize(true);
        var chain = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(1.0), Optimizer.Adam(amsGrad), Schedule.Cosine(0.01, 10));
        var rms = RmsPropOptions.Default.WithCentered(true).WithMomentum(0.5);
        var adagrad = AdagradOptions.Default.WithInitialAccumulatorValue(0.1).WithLearningRateDecay(0.01);
        return new TheoryData<Case>
        {
            Make("SGD", p => Sgd.Init(p, sgd), (p, g, s) => Sgd.Step(p, g, s, sgd), s => s.ToParams(), SgdState<double>.FromParams),
            Make("Adam", p => Adam.Init(p, adam), (p, g, s) => Adam.Step(p, g, s, adam), s => s.ToParams(), AdamState<double>.FromParams),
            Make("AdamW", p => Adam.Init(p, adamW), (p, g, s) => Adam.Step(p, g, s, adamW), s => s.ToParams(), AdamState<double>.FromParams),
            Make("Adam AMSGrad maximize", p => Adam.Init(p, amsGrad), (p, g, s) => Adam.Step(p, g, s, amsGrad), s => s.ToParams(), AdamState<double>.FromParams),
            Make("Chain(clip, Adam, schedule)", chain.Init, chain.Update, s => s.ToParams(), chain.StateFromParams),
            Make("RMSprop", p => RmsProp.Init(p, rms), (p, g, s) => RmsProp.Step(p, g, s, rms), s => s.ToParams(), RmsPropState<double>.FromParams),
            Make("Adagrad", p => Adagrad.Init(p, adagrad), (p, g, s) => Adagrad.Step(p, g, s, adagrad), s => s.ToParams(), AdagradState<double>.FromParams),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_step_leaves_its_inputs_unchanged(Case optimizer)
    {
        var parameters = OptimizerTestData.Parameters();
        var gradients = OptimizerTestData.Gradients(0);
        var (afterOne, state) = optimizer.Step(parameters, gradients, optimizer.Init(parameters));
        var stateBefore = CopyOf(optimizer.ToParams(state));
        var parametersBefore = CopyOf(afterOne);
        var gradientsBefore = CopyOf(gradients);

        optimizer.Step(afterOne, gradients, state);

        OptimizerTestData.AssertIdentical(parametersBefore, afterOne);
        OptimizerTestData.AssertIdentical(gradientsBefore, gradients);
        OptimizerTestData.AssertIdentical(stateBefore, optimizer.ToParams(state));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_same_inputs_give_bit_identical_outputs(Case optimizer)
    {
        var parameters = OptimizerTestData.Parameters();
        var state = optimizer.Init(parameters);
        var (p1, s1) = optimizer.Step(parameters, OptimizerTestData.Gradients(0), state);
        var first = optimizer.Step(p1, OptimizerTestData.Gradients(1), s1);
        var second = optimizer.Step(p1, OptimizerTestData.Gradients(1), s1);
        OptimizerTestData.AssertIdentical(first.Parameters, second.Parameters);
        OptimizerTestData.AssertIdentical(optimizer.ToParams(first.State), optimizer.ToParams(second.State));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void State_survives_a_round_trip_through_ToParams_and_FromParams(Case optimizer)
    {
        var parameters = OptimizerTestData.Parameters();
        var (p1, s1) = optimizer.Step(parameters, OptimizerTestData.Gradients(0), optimizer.Init(parameters));
        var (p2, s2) = optimizer.Step(p1, OptimizerTestData.Gradients(1), s1);
        var saved = optimizer.ToParams(s2);
        Assert.Equal(2.0, saved["step"].Item);
        var restored = optimizer.FromParams(saved);
        OptimizerTestData.AssertIdentical(saved, optimizer.ToParams(restored));

        // Continuing from the restored state is the same as continuing from the original.
        var direct = optimizer.Step(p2, OptimizerTestData.Gradients(2), s2);
        var resumed = optimizer.Step(p2, OptimizerTestData.Gradients(2), restored);
        OptimizerTestData.AssertIdentical(direct.Parameters, resumed.Parameters);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_zero_gradient_still_advances_the_state(Case optimizer)
    {
        var parameters = OptimizerTestData.Parameters();
        var (p1, s1) = optimizer.Step(parameters, OptimizerTestData.Gradients(0), optimizer.Init(parameters));
        var zero = OptimizerTestData.Gradients(1).Map(Tensor.ZerosLike);
        var (_, s2) = optimizer.Step(p1, zero, s1);
        var before = optimizer.ToParams(s1);
        var after = optimizer.ToParams(s2);
        Assert.Equal(before["step"].Item + 1, after["step"].Item);
        // Adagrad's sum gains g² = 0; every other optimizer's buffers decay.
        if (optimizer.Name != "Adagrad")
            Assert.Contains(before.Names.Where(n => n != "step"), name => !before[name].ToArray().SequenceEqual(after[name].ToArray()));
    }

    [Fact]
    public void State_names_follow_PyTorchs_state_dict()
    {
        var parameters = Params<double>.Empty.Add("weight_ih_l0", Tensor.Zeros<double>(4, 2));
        Assert.Equal(["exp_avg.weight_ih_l0", "exp_avg_sq.weight_ih_l0", "step"], Adam.Init(parameters).ToParams().Names);
        Assert.Equal(["exp_avg.weight_ih_l0", "exp_avg_sq.weight_ih_l0", "max_exp_avg_sq.weight_ih_l0", "step"],
            Adam.Init(parameters, AdamOptions.Default.WithAmsGrad(true)).ToParams().Names);
        Assert.Equal(["sum.weight_ih_l0", "step"], Adagrad.Init(parameters).ToParams().Names);
        Assert.Equal(["square_avg.weight_ih_l0", "grad_avg.weight_ih_l0", "momentum_buffer.weight_ih_l0", "step"],
            RmsProp.Init(parameters, RmsPropOptions.Default.WithCentered(true).WithMomentum(0.9)).ToParams().Names);
        var sgd = SgdOptions.Default.WithMomentum(0.9);
        var afterOne = Sgd.Step(parameters, parameters, Sgd.Init(parameters, sgd), sgd).State;
        Assert.Equal(["momentum_buffer.weight_ih_l0", "step"], afterOne.ToParams().Names);
    }

    [Fact]
    public void FromParams_refuses_foreign_names_and_a_missing_step()
    {
        var state = Adam.Init(OptimizerTestData.Parameters()).ToParams();
        Assert.Contains("step", Assert.Throws<ArgumentException>(() =>
            AdamState<double>.FromParams(Params.Create(state.Where(p => p.Key != "step")))).Message);
        Assert.Contains("not a state tensor", Assert.Throws<ArgumentException>(() =>
            AdamState<double>.FromParams(state.Add("momentum_buffer.weight", Tensor.Zeros<double>(2, 3)))).Message);
    }

    [Fact]
    public void A_state_for_other_parameters_is_refused()
    {
        var parameters = OptimizerTestData.Parameters();
        var other = Adam.Init(Params<double>.Empty.Add("weight", Tensor.Zeros<double>(2, 3)));
        Assert.Throws<ArgumentException>(() => Adam.Step(parameters, OptimizerTestData.Gradients(0), other));
    }

    [Fact]
    public void A_state_from_another_kind_of_optimizer_is_refused_naming_both_state_types()
    {
        var parameters = OptimizerTestData.Parameters();
        var error = Assert.Throws<ArgumentException>(() =>
            Optimizer.Adam().Update(parameters, OptimizerTestData.Gradients(0), Optimizer.Sgd().Init(parameters)));
        Assert.StartsWith("Adam.Update: the state is a SgdState<Double>, expected a AdamState<Double>", error.Message);
    }

    [Fact]
    public void Float_parameters_train_as_well()
    {
        var parameters = Params<float>.Empty.Add("w", Tensor.FromArray([1f, -2f]));
        var gradients = Params<float>.Empty.Add("w", Tensor.FromArray([0.5f, 0.5f]));
        var step = Adam.Step(parameters, gradients, Adam.Init(parameters), AdamOptions.Default.WithLearningRate(0.1));
        Assert.Equal([0.9f, -2.1f], step.Parameters["w"].ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(1f, step.State.ToParams()["step"].Item);
    }

    private static Params<double> CopyOf(Params<double> parameters) =>
        parameters.Map(t => t.Rank == 0 ? Tensor.Scalar(t.Item) : Tensor.FromArray(t.ToArray(), t.Shape.ToArray()));
}
