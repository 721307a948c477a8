namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="RmsProp"/>, with PyTorch's defaults (<c>torch.optim.RMSprop</c>). Immutable; change
/// a field with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record RmsPropOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-2, α 0.99, ε 1e-8, no weight decay or momentum, not centered.</summary>
    public static RmsPropOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-2).</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>α, the decay of the running mean of squared gradients (default 0.99).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>ε, added to the root-mean-square (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The L2 penalty λ added to the gradient: g ← g + λ·θ (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>The momentum factor μ (default 0: no momentum buffer).</summary>
    public double Momentum { get; init; }

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

    internal void Validate(string operation)
    {
        OptimizerSlots.RequireNonNegative(LearningRate, nameof(LearningRate), operation);
        OptimizerSlots.RequireNonNegative(Alpha, nameof(Alpha), operation);
        OptimizerSlots.RequireNonNegative(Epsilon, nameof(Epsilon), operation);
        OptimizerSlots.RequireNonNegative(WeightDecay, nameof(WeightDecay), operation);
        OptimizerSlots.RequireNonNegative(Momentum, nameof(Momentum), operation);
    }
}
