namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="AdamW"/>, with PyTorch's defaults (<c>torch.optim.AdamW</c>; note the weight decay
/// of 1e-2, where Adam's default is 0). Immutable; each field is checked when set (a value out of range throws,
/// naming the field, the range and the value). Change a field with its <c>With…</c> method or a C# <c>with</c>.
/// </summary>
public sealed record AdamWOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 1e-2.</summary>
    public static AdamWOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-3). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "AdamWOptions"); } = 1e-3;

    /// <summary>β₁, the decay of the running mean of gradients (default 0.9). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta1 { get; init => field = Require.UnitInterval(value, nameof(Beta1), "AdamWOptions"); } = 0.9;

    /// <summary>β₂, the decay of the running mean of squared gradients (default 0.999). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta2 { get; init => field = Require.UnitInterval(value, nameof(Beta2), "AdamWOptions"); } = 0.999;

    /// <summary>ε, added to the denominator after bias correction (default 1e-8). Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Epsilon { get; init => field = Require.Positive(value, nameof(Epsilon), "AdamWOptions"); } = 1e-8;

    /// <summary>The decoupled weight decay λ: θ ← θ·(1 − lr·λ) before the Adam step (default 1e-2). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "AdamWOptions"); } = 1e-2;

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public AdamWOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Beta1"/> and <see cref="Beta2"/> replaced.</summary>
    public AdamWOptions WithBetas(double beta1, double beta2) => this with { Beta1 = beta1, Beta2 = beta2 };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public AdamWOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public AdamWOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    // Every field is checked when it is set (its init accessor), so invalid options cannot exist; no rule spans fields.
    internal void Validate(string operation)
    {
    }
}
