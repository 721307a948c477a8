using Autograd.Rnn.Tests.Autodiff;

namespace Autograd.Rnn.Tests.Training;

/// <summary>
/// Optimizer hyper-parameters are refused when they are set (so invalid options never exist), non-finite parameters
/// when they reach a step, and schedules refuse parameters or rates that would hand an optimizer NaN or a negative rate.
/// Each message names the option, the range expected and the value given.
/// </summary>
public class OptimizerValidationTests
{
    private static readonly Dictionary<string, Func<double, object>> Setters = new()
    {
        ["AdamOptions.LearningRate"] = v => AdamOptions.Default.WithLearningRate(v),
        ["AdamOptions.Beta1"] = v => AdamOptions.Default.WithBetas(v, 0.999),
        ["AdamOptions.Beta2"] = v => AdamOptions.Default.WithBetas(0.9, v),
        ["AdamOptions.Epsilon"] = v => AdamOptions.Default.WithEpsilon(v),
        ["AdamOptions.WeightDecay"] = v => AdamOptions.Default.WithWeightDecay(v),
        ["SgdOptions.LearningRate"] = v => SgdOptions.Default.WithLearningRate(v),
        ["SgdOptions.Momentum"] = v => SgdOptions.Default.WithMomentum(v),
        ["SgdOptions.Dampening"] = v => SgdOptions.Default.WithDampening(v),
        ["SgdOptions.WeightDecay"] = v => SgdOptions.Default.WithWeightDecay(v),
        ["RmsPropOptions.LearningRate"] = v => RmsPropOptions.Default.WithLearningRate(v),
        ["RmsPropOptions.Alpha"] = v => RmsPropOptions.Default.WithAlpha(v),
        ["RmsPropOptions.Epsilon"] = v => RmsPropOptions.Default.WithEpsilon(v),
        ["RmsPropOptions.WeightDecay"] = v => RmsPropOptions.Default.WithWeightDecay(v),
        ["RmsPropOptions.Momentum"] = v => RmsPropOptions.Default.WithMomentum(v),
        ["AdagradOptions.LearningRate"] = v => AdagradOptions.Default.WithLearningRate(v),
        ["AdagradOptions.LearningRateDecay"] = v => AdagradOptions.Default.WithLearningRateDecay(v),
        ["AdagradOptions.WeightDecay"] = v => AdagradOptions.Default.WithWeightDecay(v),
        ["AdagradOptions.InitialAccumulatorValue"] = v => AdagradOptions.Default.WithInitialAccumulatorValue(v),
        ["AdagradOptions.Epsilon"] = v => AdagradOptions.Default.WithEpsilon(v),
    };

    private const string NonNegative = "finite and ≥ 0", Positive = "finite and > 0", Unit = "in [0, 1)", ClosedUnit = "in [0, 1]";

    public static TheoryData<string, double, string> InvalidOptions()
    {
        var data = new TheoryData<string, double, string>();
        foreach (var record in new[] { "AdamOptions", "SgdOptions", "RmsPropOptions", "AdagradOptions" })
            foreach (double bad in new[] { double.NaN, -1e-3, double.PositiveInfinity })
                data.Add(record + ".LearningRate", bad, NonNegative);
        foreach (double bad in new[] { 1.0, -0.1, double.NaN })
        {
            data.Add("AdamOptions.Beta1", bad, Unit);
            data.Add("AdamOptions.Beta2", bad, Unit);
        }
        data.Add("AdamOptions.WeightDecay", -1, NonNegative);
        foreach (var record in new[] { "AdamOptions", "RmsPropOptions", "AdagradOptions" })
            foreach (double bad in new[] { 0.0, -1e-8, double.NaN })
                data.Add(record + ".Epsilon", bad, Positive);
        foreach (double bad in new[] { 1.0, 2.0, -0.5, double.NaN })
        {
            data.Add("SgdOptions.Momentum", bad, Unit);
            data.Add("RmsPropOptions.Momentum", bad, Unit);
            data.Add("RmsPropOptions.Alpha", bad, Unit);
        }
        data.Add("SgdOptions.Dampening", 1.5, ClosedUnit);
        data.Add("SgdOptions.Dampening", -0.1, ClosedUnit);
        data.Add("SgdOptions.Dampening", double.NaN, ClosedUnit);
        data.Add("SgdOptions.WeightDecay", double.NaN, NonNegative);
        data.Add("RmsPropOptions.WeightDecay", double.NegativeInfinity, NonNegative);
        data.Add("AdagradOptions.LearningRateDecay", -1, NonNegative);
        data.Add("AdagradOptions.WeightDecay", double.NaN, NonNegative);
        data.Add("AdagradOptions.InitialAccumulatorValue", -0.1, NonNegative);
        data.Add("AdagradOptions.InitialAccumulatorValue", double.PositiveInfinity, NonNegative);
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void An_option_out_of_range_is_refused_when_set_naming_the_option_its_range_and_the_value(string option, double value, string range)
    {
        var (record, field) = (option.Split('.')[0], option.Split('.')[1]);
        var error = BoundaryValidationTests.AssertOutOfRange(() => Setters[option](value), record, field, value);
        Assert.StartsWith($"{record}: {field} must be {range}.", error.Message);
    }

    [Fact]
    public void Options_at_the_edges_of_their_ranges_are_accepted()
    {
        Assert.Equal(0.0, AdamOptions.Default.WithBetas(0, 0).Beta1);
        Assert.Equal(0.0, AdamOptions.AdamW.WithLearningRate(0).LearningRate);
        Assert.Equal(1.0, SgdOptions.Default.WithDampening(1).Dampening);
        Assert.Equal(0.99, SgdOptions.Default.WithMomentum(0.99).Momentum);
        Assert.Equal(0.0, RmsPropOptions.Default.WithAlpha(0).Alpha);
        Assert.Equal(double.Epsilon, AdagradOptions.Default.WithEpsilon(double.Epsilon).Epsilon);
    }

    [Fact]
    public void A_C_sharp_with_expression_is_checked_too() =>
        BoundaryValidationTests.AssertOutOfRange(() => _ = new AdamOptions { LearningRate = 0.1, Beta2 = 1.5 }, "AdamOptions", "Beta2", 1.5);

    [Fact]
    public void Nesterov_without_momentum_is_still_refused_at_the_step_naming_both_options()
    {
        var p = Params<double>.Empty.Add("w", Tensor.Zeros<double>(2));
        var error = Assert.Throws<ArgumentException>(() => Sgd.Step(p, p, Sgd.Init(p), SgdOptions.Default.WithNesterov(true)));
        Assert.StartsWith("Sgd.Step: Nesterov momentum needs Momentum > 0 and Dampening = 0 (got 0 and 0).", error.Message);
    }

    // ----- non-finite parameters -----

    public static TheoryData<string, double> NonFiniteParameterCases()
    {
        var data = new TheoryData<string, double>();
        foreach (var optimizer in new[] { "Sgd.Step", "Adam.Step", "RmsProp.Step", "Adagrad.Step", "Adam.Update" })
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                data.Add(optimizer, bad);
        return data;
    }

    [Theory]
    [MemberData(nameof(NonFiniteParameterCases))]
    public void A_non_finite_parameter_is_refused_with_its_name_index_and_value(string optimizer, double bad)
    {
        var p = Params<double>.Empty
            .Add("bias", Tensor.Zeros<double>(3))
            .Add("weight", Tensor.FromArray([0.5, -0.5, bad, 1.0], 2, 2));
        var g = p.Map(t => Tensor.OnesLike(t));
        Action step = optimizer switch
        {
            "Sgd.Step" => () => Sgd.Step(p, g, Sgd.Init(p)),
            "Adam.Step" => () => Adam.Step(p, g, Adam.Init(p)),
            "RmsProp.Step" => () => RmsProp.Step(p, g, RmsProp.Init(p)),
            "Adagrad.Step" => () => Adagrad.Step(p, g, Adagrad.Init(p)),
            _ => () => Optimizer.Adam(AdamOptions.AdamW).Update(p, g, Optimizer.Adam().Init(p)),
        };
        var error = Assert.Throws<ArgumentException>(step);
        Assert.StartsWith($"{optimizer}: parameter 'weight' is {bad} at [1,0].", error.Message);
        Assert.Equal("parameters", error.ParamName);
    }

    // ----- schedules -----

    public static TheoryData<string, string, double> InvalidScheduleArguments => new()
    {
        { "Schedule.Exponential", "gamma", double.NaN },
        { "Schedule.Exponential", "gamma", -0.5 },
        { "Schedule.StepDecay", "gamma", double.NaN },
        { "Schedule.StepDecay", "gamma", -0.1 },
        { "Schedule.Linear", "startFactor", double.NaN },
        { "Schedule.Linear", "startFactor", -1 },
        { "Schedule.Linear", "endFactor", double.PositiveInfinity },
        { "Schedule.Cosine", "minLr", double.NaN },
        { "Schedule.Cosine", "baseLr", -0.1 },
        { "Schedule.Constant", "learningRate", double.NaN },
    };

    [Theory]
    [MemberData(nameof(InvalidScheduleArguments))]
    public void A_schedule_refuses_a_rate_or_factor_that_is_negative_or_not_finite(string operation, string argument, double value)
    {
        Action create = (operation, argument) switch
        {
            ("Schedule.Exponential", _) => () => Schedule.Exponential(0.1, value),
            ("Schedule.StepDecay", _) => () => Schedule.StepDecay(0.1, 10, value),
            ("Schedule.Linear", "startFactor") => () => Schedule.Linear(0.1, value, 1, 10),
            ("Schedule.Linear", _) => () => Schedule.Linear(0.1, 0.5, value, 10),
            ("Schedule.Cosine", "minLr") => () => Schedule.Cosine(0.1, 10, value),
            ("Schedule.Cosine", _) => () => Schedule.Cosine(value, 10),
            _ => () => Schedule.Constant(value),
        };
        var error = BoundaryValidationTests.AssertOutOfRange(create, operation, argument, value);
        Assert.Contains("must be finite and ≥ 0", error.Message);
    }

    [Theory]
    [InlineData("Schedule.Cosine", "totalSteps", 0L)]
    [InlineData("Schedule.StepDecay", "stepSize", -1L)]
    [InlineData("Schedule.Linear", "totalSteps", 0L)]
    [InlineData("Schedule.WithLinearWarmup", "warmupSteps", 0L)]
    [InlineData("Schedule.Clamped", "lastStep", -1L)]
    [InlineData("Schedule.At", "step", -1L)]
    public void A_schedule_refuses_step_counts_out_of_range_naming_itself(string operation, string argument, long value)
    {
        Action create = operation switch
        {
            "Schedule.Cosine" => () => Schedule.Cosine(0.1, value),
            "Schedule.StepDecay" => () => Schedule.StepDecay(0.1, value),
            "Schedule.Linear" => () => Schedule.Linear(0.1, 0.5, 1, value),
            "Schedule.WithLinearWarmup" => () => Schedule.Constant(0.1).WithLinearWarmup(value),
            "Schedule.Clamped" => () => Schedule.Constant(0.1).Clamped(value),
            _ => () => Schedule.Constant(0.1).At(value),
        };
        BoundaryValidationTests.AssertOutOfRange(create, operation, argument, value);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.01)]
    [InlineData(double.PositiveInfinity)]
    public void A_custom_schedule_that_gives_an_invalid_rate_is_reported_at_that_step(double rate)
    {
        var schedule = new Schedule(step => step < 3 ? 0.1 : rate, "broken");
        Assert.Equal(0.1, schedule.At(2));
        var error = Assert.Throws<InvalidOperationException>(() => schedule.At(3));
        Assert.Equal($"Schedule 'broken': the rate at step 3 is {rate}; expected a finite rate ≥ 0.", error.Message);
    }

    [Fact]
    public void A_decay_past_the_range_of_a_double_is_reported_not_returned()
    {
        // 10^400 is +∞ in a double: the schedule's own arithmetic, not its arguments, leaves the finite range.
        var schedule = Schedule.Exponential(1.0, 10.0);
        Assert.Equal(1e300, schedule.At(300), 1e285);
        Assert.Throws<InvalidOperationException>(() => schedule.At(400));
    }
}
