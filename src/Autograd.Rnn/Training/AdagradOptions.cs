namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="Adagrad"/>, with PyTorch's defaults (<c>torch.optim.Adagrad</c>). Immutable; each
/// field is checked when set (a value out of range throws, naming the field, the range and the value). Change a field
/// with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record AdagradOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-2, no learning-rate decay or weight decay, accumulator 0, ε 1e-10.</summary>
    public static AdagradOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-2). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "AdagradOptions"); } = 1e-2;

    /// <summary>The learning-rate decay δ: step t uses lr / (1 + (t − 1)·δ) (PyTorch's <c>lr_decay</c>, default 0). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRateDecay { get; init => field = Require.NonNegative(value, nameof(LearningRateDecay), "AdagradOptions"); }

    /// <summary>The L2 penalty λ added to the gradient: g ← g + λ·θ (default 0). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "AdagradOptions"); }

    /// <summary>The value the sum of squared gradients starts at (PyTorch's <c>initial_accumulator_value</c>, default 0); used by <see cref="Adagrad.Init{T}"/>. Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double InitialAccumulatorValue { get; init => field = Require.NonNegative(value, nameof(InitialAccumulatorValue), "AdagradOptions"); }

    /// <summary>ε, added to the square root of the sum (default 1e-10). Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Epsilon { get; init => field = Require.Positive(value, nameof(Epsilon), "AdagradOptions"); } = 1e-10;

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

    // Every field is checked when it is set (its init accessor), so invalid options cannot exist; no rule spans fields.
    internal void Validate(string operation)
    {
    }
}
