using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay, as a pure
/// function. The update is <c>torch.optim.SGD</c>'s, for each parameter θ with gradient g:
/// <code>
/// g ← g + λ·θ                                   (weight decay λ, when λ ≠ 0)
/// b ← g on the first step, else μ·b + (1 − τ)·g  (momentum μ, dampening τ, when μ ≠ 0)
/// g ← g + μ·b with Nesterov, else b             (when μ ≠ 0)
/// θ ← θ − lr·g
/// </code>
/// </summary>
public static class Sgd
{
    /// <summary>The state before the first step: step 0 and no momentum buffers.</summary>
    public static SgdState<T> Init<T>(Params<T> parameters, SgdOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new SgdState<T>(0, Params<T>.Empty);
    }

    /// <summary>
    /// One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero
    /// (its momentum buffer still decays), as PyTorch does for a parameter whose <c>.grad</c> is a zero tensor.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes (what <see cref="Grad.ValueAndGrad{T}(Func{Params{T}, Tensor{T}}, Params{T})"/> returns).</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="SgdOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, SgdState<T>> Step<T>(Params<T> parameters, Params<T> gradients, SgdState<T> state, SgdOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Step(parameters, gradients, state, options ?? SgdOptions.Default, "Sgd.Step");

    internal static OptimizerStep<T, SgdState<T>> Step<T>(Params<T> parameters, Params<T> gradients, SgdState<T> state, SgdOptions options,
        string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        options.Validate(operation);
        OptimizerSlots.RequireGradients(parameters, gradients, operation);
        OptimizerSlots.RequireSlot(parameters, state.MomentumBuffer, "momentum_buffer", operation);

        T lr = T.CreateChecked(options.LearningRate), weightDecay = T.CreateChecked(options.WeightDecay);
        T momentum = T.CreateChecked(options.Momentum), oneMinusDampening = T.CreateChecked(1 - options.Dampening);
        var newParameters = Params<T>.Empty;
        var newBuffers = Params<T>.Empty;
        foreach (var (name, theta) in parameters)
        {
            var g = gradients[name];
            if (options.WeightDecay != 0) g = g + theta * weightDecay;
            if (options.Momentum != 0)
            {
                var buffer = state.MomentumBuffer.Contains(name)
                    ? state.MomentumBuffer[name] * momentum + g * oneMinusDampening
                    : g;
                newBuffers = newBuffers.Add(name, buffer);
                g = options.Nesterov ? g + buffer * momentum : buffer;
            }
            else if (state.MomentumBuffer.Contains(name))
            {
                // Momentum switched off: PyTorch leaves an existing buffer untouched.
                newBuffers = newBuffers.Add(name, state.MomentumBuffer[name]);
            }
            newParameters = newParameters.Add(name, theta - g * lr);
        }
        return new OptimizerStep<T, SgdState<T>>(newParameters, new SgdState<T>(state.Step + 1, newBuffers));
    }
}

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

/// <summary>
/// The state of <see cref="Sgd"/>: the step count and, with momentum, one momentum buffer per parameter.
/// As in PyTorch a parameter has no buffer until its first step with momentum, which sets the buffer to that step's
/// gradient. Immutable: a step returns a new state.
/// </summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="MomentumBuffer">The momentum buffer b of each parameter that has one, by parameter name (PyTorch's <c>momentum_buffer</c>).</param>
public sealed record SgdState<T>(long Step, Params<T> MomentumBuffer) : OptimizerState<T>(Step) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>momentum_buffer.{parameter}</c> for each buffer and
    /// <c>step</c> (a scalar holding the step count).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public override Params<T> ToParams() => OptimizerSlots.Join(Step, ("momentum_buffer", MomentumBuffer));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static SgdState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "SgdState.FromParams", "momentum_buffer");
        return new SgdState<T>(step, slots[0]);
    }

    /// <summary>This state with <see cref="OptimizerState{T}.Step"/> replaced.</summary>
    public SgdState<T> WithStep(long step) => this with { Step = step };
}

/// <summary><see cref="Sgd"/> as an <see cref="IOptimizer"/>.</summary>
internal sealed record SgdOptimizer : IOptimizer
{
    public SgdOptimizer(SgdOptions options)
    {
        options.Validate("Optimizer.Sgd");
        Options = options;
    }

    public SgdOptions Options { get; init; }

    public OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T> => Sgd.Init(parameters, Options);

    public OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (next, nextState) = Sgd.Step(parameters, gradients, OptimizerSlots.RequireState<T, SgdState<T>>(state, "Sgd"), Options, "Sgd.Update");
        return new(next, nextState);
    }

    public OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T> => SgdState<T>.FromParams(tensors);

    public IOptimizer WithLearningRate(double learningRate) => this with { Options = Options.WithLearningRate(learningRate) };

    public override string ToString() => $"Sgd({Options})";
}
