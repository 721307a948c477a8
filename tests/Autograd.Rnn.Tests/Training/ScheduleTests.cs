namespace Autograd.Rnn.Tests.Training;

/// <summary>Learning-rate schedules at chosen steps against torch.optim.lr_scheduler's closed forms.</summary>
public class ScheduleTests
{
    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(29, 0.1)]
    [InlineData(30, 0.01)]
    [InlineData(61, 0.001)]
    public void Step_decay_multiplies_by_gamma_every_step_size_steps(long step, double expected) =>
        Assert.Equal(expected, Schedule.StepDecay(0.1, stepSize: 30, gamma: 0.1).At(step), 1e-15);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    public void Exponential_is_base_times_gamma_to_the_step(long step) =>
        Assert.Equal(0.5 * Math.Pow(0.9, step), Schedule.Exponential(0.5, 0.9).At(step), 1e-15);

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(50, 0.0505)]
    [InlineData(100, 0.001)]
    [InlineData(150, 0.0505)]
    public void Cosine_goes_from_base_to_minimum_and_back_up_past_the_end_as_torch(long step, double expected) =>
        Assert.Equal(expected, Schedule.Cosine(0.1, totalSteps: 100, minLr: 0.001).At(step), 1e-15);

    [Fact]
    public void Cosine_matches_its_formula_at_every_step()
    {
        var schedule = Schedule.Cosine(0.3, 37, 0.02);
        for (long step = 0; step <= 37; step++)
            Assert.Equal(0.02 + (0.3 - 0.02) * (1 + Math.Cos(Math.PI * step / 37)) / 2, schedule.At(step), 1e-15);
    }

    [Fact]
    public void Linear_warmup_ramps_to_the_following_schedule_and_then_follows_it_shifted()
    {
        var cosine = Schedule.Cosine(0.1, 100, 0.0);
        var schedule = cosine.WithLinearWarmup(10, startFactor: 0.1);
        Assert.Equal(0.01, schedule.At(0), 1e-15);
        Assert.Equal(0.1 * (0.1 + 0.9 * 5 / 10.0), schedule.At(5), 1e-15);
        Assert.Equal(cosine.At(0), schedule.At(10), 1e-15);
        Assert.Equal(cosine.At(40), schedule.At(50), 1e-15);
    }

    [Fact]
    public void Linear_matches_torch_LinearLR()
    {
        var schedule = Schedule.Linear(0.2, startFactor: 0.5, endFactor: 1.0, totalSteps: 4);
        Assert.Equal([0.1, 0.125, 0.15, 0.175, 0.2, 0.2], Enumerable.Range(0, 6).Select(s => schedule.At(s)), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void A_clamped_schedule_holds_its_last_value()
    {
        var schedule = Schedule.Cosine(0.1, 100, 0.001).Clamped(100);
        Assert.Equal(0.001, schedule.At(250), 1e-15);
    }

    [Fact]
    public void A_negative_step_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Constant(0.1).At(-1));

    [Fact]
    public void A_schedule_drives_an_optimizer_through_its_step_count()
    {
        var schedule = Schedule.Exponential(0.1, 0.5);
        var parameters = Params<double>.Empty.Add("w", Tensor.FromArray([0.0]));
        var gradients = Params<double>.Empty.Add("w", Tensor.FromArray([1.0]));
        var state = Sgd.Init(parameters);
        for (int i = 0; i < 3; i++)
            (parameters, state) = Sgd.Step(parameters, gradients, state, SgdOptions.Default.WithLearningRate(schedule.At(state.Step)));
        Assert.Equal(-(0.1 + 0.05 + 0.025), parameters["w"].Item, 1e-15);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
