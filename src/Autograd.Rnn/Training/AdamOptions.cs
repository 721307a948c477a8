namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="Adam"/>, with PyTorch's defaults (<c>torch.optim.Adam</c>). Immutable; each field
/// is checked when set (a value out of range throws, naming the field, the range and the value). Change a field with
/// its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record AdamOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay.</summary>
    public static AdamOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-3). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "AdamOptions"); } = 1e-3;

    /// <summary>β₁, the decay of the running mean of gradients (default 0.9). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta1 { get; init => field = Require.UnitInterval(value, nameof(Beta1), "AdamOptions"); } = 0.9;

    /// <summary>β₂, the decay of the running mean of squared gradients (default 0.999). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta2 { get; init => field = Require.UnitInterval(value, nameof(Beta2), "AdamOptions"); } = 0.999;

    /// <summary>ε, added to the denominator after bias correction (default 1e-8). Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Epsilon { get; init => field = Require.Positive(value, nameof(Epsilon), "AdamOptions"); } = 1e-8;

    /// <summary>The L2 penalty λ added to the gradient before the moments: g ← g + λ·θ (default 0). For decoupled decay use <see cref="AdamW"/>. Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "AdamOptions"); }

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public AdamOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Beta1"/> and <see cref="Beta2"/> replaced.</summary>
    public AdamOptions WithBetas(double beta1, double beta2) => this with { Beta1 = beta1, Beta2 = beta2 };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public AdamOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public AdamOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    // Every field is checked when it is set (its init accessor), so invalid options cannot exist; no rule spans fields.
    internal void Validate(string operation)
    {
    }
}
