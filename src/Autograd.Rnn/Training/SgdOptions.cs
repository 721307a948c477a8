namespace Autograd.Rnn;

/// <summary>
/// Hyper-parameters of <see cref="Sgd"/>, with PyTorch's defaults (<c>torch.optim.SGD</c>). Immutable; each field is
/// checked when set (a value out of range throws, naming the field, the range and the value). Change a field with its
/// <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record SgdOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-3, no momentum, dampening or weight decay.</summary>
    public static SgdOptions Default { get; } = new();

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-3). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "SgdOptions"); } = 1e-3;

    /// <summary>The momentum factor μ (default 0: plain SGD, no momentum buffer). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Momentum { get; init => field = Require.UnitInterval(value, nameof(Momentum), "SgdOptions"); }

    /// <summary>The dampening τ of the momentum: b ← μ·b + (1 − τ)·g (default 0). Must be in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1].</exception>
    public double Dampening { get; init => field = Require.ClosedUnitInterval(value, nameof(Dampening), "SgdOptions"); }

    /// <summary>The L2 penalty λ added to the gradient: g ← g + λ·θ (default 0). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "SgdOptions"); }

    /// <summary>Nesterov momentum: step along g + μ·b instead of b (default false; needs momentum &gt; 0 and no dampening).</summary>
    public bool Nesterov { get; init; }

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public SgdOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Momentum"/> replaced.</summary>
    public SgdOptions WithMomentum(double momentum) => this with { Momentum = momentum };

    /// <summary>These options with <see cref="Dampening"/> replaced.</summary>
    public SgdOptions WithDampening(double dampening) => this with { Dampening = dampening };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public SgdOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    /// <summary>These options with <see cref="Nesterov"/> replaced.</summary>
    public SgdOptions WithNesterov(bool nesterov) => this with { Nesterov = nesterov };

    internal void Validate(string operation)
    {
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException($"{operation}: Nesterov momentum needs Momentum > 0 and Dampening = 0 (got {Momentum} and {Dampening}).");
    }
}
