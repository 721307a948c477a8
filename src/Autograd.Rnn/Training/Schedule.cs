namespace Autograd.Rnn;

/// <summary>
/// A learning-rate schedule: a pure function from the step number (0 for the first step) to a learning rate.
/// Nothing is stepped or mutated; ask <see cref="At"/> for any step, in any order. The built-in schedules follow
/// <c>torch.optim.lr_scheduler</c>'s closed forms, with "step" meaning the number of <c>scheduler.step()</c> calls
/// made before the optimizer step, e.g.
/// <c>options.WithLearningRate(schedule.At(state.Step))</c>.
/// </summary>
public sealed class Schedule
{
    private readonly Func<long, double> rate;

    /// <summary>A schedule from any function of the step; <paramref name="name"/> is for messages and <see cref="ToString"/>.</summary>
    public Schedule(Func<long, double> rate, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentException.ThrowIfNullOrEmpty(name);
        this.rate = rate;
        Name = name;
    }

    /// <summary>A short description, e.g. <c>Cosine(0.1, 1000, 0)</c>.</summary>
    public string Name { get; }

    /// <summary>The learning rate at <paramref name="step"/> (≥ 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    /// <exception cref="InvalidOperationException">The schedule's function gave a rate that is NaN, infinite or negative.</exception>
    public double At(long step)
    {
        Require.NonNegative(step, nameof(step), "Schedule.At");
        double value = rate(step);
        // Checked here, once per query, so a custom function (or a decay past double's range) cannot hand an optimizer NaN.
        if (!(value >= 0 && double.IsFinite(value)))
            throw new InvalidOperationException($"Schedule '{Name}': the rate at step {step} is {value}; expected a finite rate ≥ 0.");
        return value;
    }

    /// <summary>
    /// This schedule after a linear warm-up of <paramref name="warmupSteps"/> steps: for step s &lt; warmupSteps the
    /// rate is At(0)·(f + (1 − f)·s / warmupSteps) with f = <paramref name="startFactor"/>; from then on it is this
    /// schedule shifted by the warm-up, At(s − warmupSteps). This is PyTorch's
    /// <c>SequentialLR([LinearLR(start_factor=f, end_factor=1, total_iters=warmupSteps), this], milestones=[warmupSteps])</c>.
    /// </summary>
    /// <param name="warmupSteps">How many steps the warm-up lasts (≥ 1).</param>
    /// <param name="startFactor">The fraction of the rate at step 0, in (0, 1] (PyTorch's <c>LinearLR</c> default is 1/3).</param>
    /// <exception cref="ArgumentOutOfRangeException">warmupSteps is not positive, or startFactor is not in (0, 1].</exception>
    public Schedule WithLinearWarmup(long warmupSteps, double startFactor = 1.0 / 3)
    {
        Require.Positive(warmupSteps, nameof(warmupSteps), "Schedule.WithLinearWarmup");
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "Schedule.WithLinearWarmup: startFactor must be in (0, 1].");
        var after = this;
        double peak = after.At(0);
        return new Schedule(step => step < warmupSteps
                ? peak * (startFactor + (1 - startFactor) * step / warmupSteps)
                : after.At(step - warmupSteps),
            $"LinearWarmup({warmupSteps}, {startFactor}) then {Name}");
    }

    /// <summary>The same rate at every step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite.</exception>
    public static Schedule Constant(double learningRate)
    {
        Require.NonNegative(learningRate, nameof(learningRate), "Schedule.Constant");
        return new Schedule(_ => learningRate, $"Constant({learningRate})");
    }

    /// <summary>
    /// Step decay: baseLr·γ^⌊step / stepSize⌋, the rate multiplied by <paramref name="gamma"/> every
    /// <paramref name="stepSize"/> steps (PyTorch's <c>StepLR</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">baseLr or gamma is negative or not finite, or stepSize is not positive.</exception>
    public static Schedule StepDecay(double baseLr, long stepSize, double gamma = 0.1)
    {
        Require.NonNegative(baseLr, nameof(baseLr), "Schedule.StepDecay");
        Require.Positive(stepSize, nameof(stepSize), "Schedule.StepDecay");
        Require.NonNegative(gamma, nameof(gamma), "Schedule.StepDecay");
        return new Schedule(step => baseLr * Math.Pow(gamma, step / stepSize), $"StepDecay({baseLr}, {stepSize}, {gamma})");
    }

    /// <summary>Exponential decay: baseLr·γ^step (PyTorch's <c>ExponentialLR</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">baseLr or gamma is negative or not finite.</exception>
    public static Schedule Exponential(double baseLr, double gamma)
    {
        Require.NonNegative(baseLr, nameof(baseLr), "Schedule.Exponential");
        Require.NonNegative(gamma, nameof(gamma), "Schedule.Exponential");
        return new Schedule(step => baseLr * Math.Pow(gamma, step), $"Exponential({baseLr}, {gamma})");
    }

    /// <summary>
    /// Cosine annealing from <paramref name="baseLr"/> to <paramref name="minLr"/> over <paramref name="totalSteps"/>
    /// steps: minLr + (baseLr − minLr)·(1 + cos(π·step / totalSteps)) / 2 (PyTorch's <c>CosineAnnealingLR</c> with
    /// <c>T_max = totalSteps</c>, <c>eta_min = minLr</c>). As in PyTorch's closed form, past totalSteps the rate rises
    /// again along the same cosine (period 2·totalSteps); stop at totalSteps or use <see cref="Clamped"/> to hold minLr.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">baseLr or minLr is negative or not finite, or totalSteps is not positive.</exception>
    public static Schedule Cosine(double baseLr, long totalSteps, double minLr = 0.0)
    {
        Require.NonNegative(baseLr, nameof(baseLr), "Schedule.Cosine");
        Require.NonNegative(minLr, nameof(minLr), "Schedule.Cosine");
        Require.Positive(totalSteps, nameof(totalSteps), "Schedule.Cosine");
        return new Schedule(step => minLr + (baseLr - minLr) * (1 + Math.Cos(Math.PI * step / totalSteps)) / 2,
            $"Cosine({baseLr}, {totalSteps}, {minLr})");
    }

    /// <summary>
    /// A linear ramp of the rate from baseLr·<paramref name="startFactor"/> to baseLr·<paramref name="endFactor"/> over
    /// <paramref name="totalSteps"/> steps, then constant: baseLr·(start + (end − start)·min(step, totalSteps) / totalSteps)
    /// (PyTorch's <c>LinearLR</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">baseLr or a factor is negative or not finite, or totalSteps is not positive.</exception>
    public static Schedule Linear(double baseLr, double startFactor, double endFactor, long totalSteps)
    {
        Require.NonNegative(baseLr, nameof(baseLr), "Schedule.Linear");
        Require.NonNegative(startFactor, nameof(startFactor), "Schedule.Linear");
        Require.NonNegative(endFactor, nameof(endFactor), "Schedule.Linear");
        Require.Positive(totalSteps, nameof(totalSteps), "Schedule.Linear");
        return new Schedule(step => baseLr * (startFactor + (endFactor - startFactor) * Math.Min(step, totalSteps) / totalSteps),
            $"Linear({baseLr}, {startFactor}, {endFactor}, {totalSteps})");
    }

    /// <summary>This schedule up to <paramref name="lastStep"/>, and its rate at <paramref name="lastStep"/> after it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">lastStep is negative.</exception>
    public Schedule Clamped(long lastStep)
    {
        Require.NonNegative(lastStep, nameof(lastStep), "Schedule.Clamped");
        var inner = this;
        return new Schedule(step => inner.At(Math.Min(step, lastStep)), $"{Name} clamped at {lastStep}");
    }

    /// <summary>The schedule's description.</summary>
    public override string ToString() => Name;
}
