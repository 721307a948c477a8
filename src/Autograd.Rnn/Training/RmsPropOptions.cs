namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="RmsProp"/>, with PyTorch's defaults (<c>torch.optim.RMSprop</c>). Immutable; each
/// field is checked when set (a value out of range throws, naming the field, the range and the value). Change a field
/// with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record RmsPropOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-2, α 0.99, ε 1e-8, no weight decay or momentum, not centered.</summary>
    public static RmsPropOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-2). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "RmsPropOptions"); } = 1e-2;

    /// <summary>α, the decay of the running mean of squared gradients (default 0.99). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Alpha { get; init => field = Require.UnitInterval(value, nameof(Alpha), "RmsPropOptions"); } = 0.99;

    /// <summary>ε, added to the root-mean-square (default 1e-8). Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Epsilon { get; init => field = Require.Positive(value, nameof(Epsilon), "RmsPropOptions"); } = 1e-8;

    /// <summary>The L2 penalty λ added to the gradient: g ← g + λ·θ (default 0). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "RmsPropOptions"); }

    /// <summary>The momentum factor μ (default 0: no momentum buffer). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Momentum { get; init => field = Require.UnitInterval(value, nameof(Momentum), "RmsPropOptions"); }

    /// <summary>Centered RMSProp: normalise by an estimate of the gradient's variance, v − ḡ², instead of v (default false).</summary>
    public bool Centered { get; init; }

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public RmsPropOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Alpha"/> replaced.</summary>
    public RmsPropOptions WithAlpha(double alpha) => this with { Alpha = alpha };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public RmsPropOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public RmsPropOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    /// <summary>These options with <see cref="Momentum"/> replaced.</summary>
    public RmsPropOptions WithMomentum(double momentum) => this with { Momentum = momentum };

    /// <summary>These options with <see cref="Centered"/> replaced.</summary>
    public RmsPropOptions WithCentered(bool centered) => this with { Centered = centered };

    // Every field is checked when it is set (its init accessor), so invalid options cannot exist; no rule spans fields.
    internal void Validate(string operation)
    {
    }
}
