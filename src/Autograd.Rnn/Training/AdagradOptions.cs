namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="Adagrad"/>, with PyTorch's defaults (<c>torch.optim.Adagrad</c>). Immutable; change
/// a field with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record AdagradOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-2, no learning-rate decay or weight decay, accumulator 0, ε 1e-10.</summary>
    public static AdagradOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-2).</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>The learning-rate decay δ: step t uses lr / (1 + (t − 1)·δ) (PyTorch's <c>lr_decay</c>, default 0).</summary>
    public double LearningRateDecay { get; init; }

    /// <summary>The L2 penalty λ added to the gradient: g ← g + λ·θ (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>The value the sum of squared gradients starts at (PyTorch's <c>initial_accumulator_value</c>, default 0); used by <see cref="Adagrad.Init{T}"/>.</summary>
    public double InitialAccumulatorValue { get; init; }

    /// <summary>ε, added to the square root of the sum (default 1e-10).</summary>
    public double Epsilon { get; init; } = 1e-10;

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public AdagradOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="LearningRateDecay"/> replaced.</summary>
    public AdagradOptions WithLearningRateDecay(double learningRateDecay) => this with { LearningRateDecay = learningRateDecay };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public AdagradOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    /// <summary>These options with <see cref="InitialAccumulatorValue"/> replaced.</summary>
    public AdagradOptions WithInitialAccumulatorValue(double value) => this with { InitialAccumulatorValue = value };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public AdagradOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    internal void Validate(string operation)
    {
        OptimizerSlots.RequireNonNegative(LearningRate, nameof(LearningRate), operation);
        OptimizerSlots.RequireNonNegative(LearningRateDecay, nameof(LearningRateDecay), operation);
        OptimizerSlots.RequireNonNegative(WeightDecay, nameof(WeightDecay), operation);
        OptimizerSlots.RequireNonNegative(InitialAccumulatorValue, nameof(InitialAccumulatorValue), operation);
        OptimizerSlots.RequireNonNegative(Epsilon, nameof(Epsilon), operation);
    }
}
