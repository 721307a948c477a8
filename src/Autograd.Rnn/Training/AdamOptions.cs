namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="Adam"/>, with PyTorch's defaults (<c>torch.optim.Adam</c>). Immutable; change a
/// field with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record AdamOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay.</summary>
    public static AdamOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>β₁, the decay of the running mean of gradients (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the decay of the running mean of squared gradients (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to the denominator after bias correction (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The L2 penalty λ added to the gradient before the moments: g ← g + λ·θ (default 0). For decoupled decay use <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; init; }

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public AdamOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Beta1"/> and <see cref="Beta2"/> replaced.</summary>
    public AdamOptions WithBetas(double beta1, double beta2) => this with { Beta1 = beta1, Beta2 = beta2 };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public AdamOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public AdamOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    internal void Validate(string operation)
    {
        OptimizerSlots.RequireNonNegative(LearningRate, nameof(LearningRate), operation);
        OptimizerSlots.RequireUnitInterval(Beta1, nameof(Beta1), operation);
        OptimizerSlots.RequireUnitInterval(Beta2, nameof(Beta2), operation);
        OptimizerSlots.RequireNonNegative(Epsilon, nameof(Epsilon), operation);
        OptimizerSlots.RequireNonNegative(WeightDecay, nameof(WeightDecay), operation);
    }
}
