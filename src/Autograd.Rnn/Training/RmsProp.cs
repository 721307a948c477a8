using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// RMSProp (Hinton's lecture 6e; Graves 2013 for the centered form) as a pure function. The update is
/// <c>torch.optim.RMSprop</c>'s, for each parameter θ with gradient g:
/// <code>
/// g ← g + λ·θ                       (weight decay λ, when λ ≠ 0)
/// v ← α·v + (1 − α)·g²
/// ḡ ← α·ḡ + (1 − α)·g;  d ← √max(v − ḡ², 0) + ε     (centered)
///                        d ← √v + ε          (otherwise)
/// b ← μ·b + g / d;  θ ← θ − lr·b    (momentum μ &gt; 0)
/// θ ← θ − lr·g / d                  (otherwise)
/// </code>
/// </summary>
public static class RmsProp
{
    /// <summary>
    /// The state before the first step: step 0, zero <c>square_avg</c>, and zero <c>grad_avg</c> (centered) and
    /// <c>momentum_buffer</c> (momentum &gt; 0) as the options ask.
    /// </summary>
    public static RmsPropState<T> Init<T>(Params<T> parameters, RmsPropOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= RmsPropOptions.Default;
        return new RmsPropState<T>(0, OptimizerSlots.ZerosLike(parameters),
            options.Centered ? OptimizerSlots.ZerosLike(parameters) : Params<T>.Empty,
            options.Momentum > 0 ? OptimizerSlots.ZerosLike(parameters) : Params<T>.Empty);
    }

    /// <summary>
    /// One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero.
    /// A <c>grad_avg</c> or <c>momentum_buffer</c> the options need but the state lacks starts at zero, as PyTorch
    /// creates it.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="RmsPropOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, RmsPropState<T>> Step<T>(Params<T> parameters, Params<T> gradients, RmsPropState<T> state, RmsPropOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Step(parameters, gradients, state, options ?? RmsPropOptions.Default, "RmsProp.Step");

    internal static OptimizerStep<T, RmsPropState<T>> Step<T>(Params<T> parameters, Params<T> gradients, RmsPropState<T> state, RmsPropOptions options,
        string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        OptimizerSlots.RequireGradients(parameters, gradients, operation);
        OptimizerSlots.RequireFullSlot(parameters, state.SquareAvg, "square_avg", operation);
        OptimizerSlots.RequireSlot(parameters, state.GradAvg, "grad_avg", operation);
        OptimizerSlots.RequireSlot(parameters, state.MomentumBuffer, "momentum_buffer", operation);

        T negativeLr = T.CreateChecked(-options.LearningRate), weightDecay = T.CreateChecked(options.WeightDecay);
        T alpha = T.CreateChecked(options.Alpha), oneMinusAlpha = T.CreateChecked(1 - options.Alpha);
        T eps = T.CreateChecked(options.Epsilon), momentum = T.CreateChecked(options.Momentum);
        var newParameters = Params<T>.Empty;
        var newSquareAvg = Params<T>.Empty;
        var newGradAvg = Params<T>.Empty;
        var newMomentum = Params<T>.Empty;
        foreach (var (name, theta) in parameters)
        {
            var g = gradients[name];
            if (options.WeightDecay != 0) g = g + theta * weightDecay;
            var v = state.SquareAvg[name] * alpha + g * oneMinusAlpha * g;
            newSquareAvg = newSquareAvg.Add(name, v);
            Tensor<T> average;
            if (options.Centered)
            {
                var gradAvg = (state.GradAvg.Contains(name) ? state.GradAvg[name] : Tensor.ZerosLike(theta)) * alpha + g * oneMinusAlpha;
                newGradAvg = newGradAvg.Add(name, gradAvg);
                // v − ḡ² is a variance, ≥ 0 in exact arithmetic; rounding can make it a hair negative after many steps
                // of a steady gradient, and √ of that is NaN, which would poison θ for good. Clamped at 0.
                average = Tensor.Sqrt(Tensor.Relu(v - gradAvg * gradAvg)) + eps;
            }
            else
            {
                if (state.GradAvg.Contains(name)) newGradAvg = newGradAvg.Add(name, state.GradAvg[name]);
                average = Tensor.Sqrt(v) + eps;
            }
            if (options.Momentum > 0)
            {
                var buffer = (state.MomentumBuffer.Contains(name) ? state.MomentumBuffer[name] : Tensor.ZerosLike(theta)) * momentum + g / average;
                newMomentum = newMomentum.Add(name, buffer);
                newParameters = newParameters.Add(name, theta + buffer * negativeLr);
            }
            else
            {
                if (state.MomentumBuffer.Contains(name)) newMomentum = newMomentum.Add(name, state.MomentumBuffer[name]);
                newParameters = newParameters.Add(name, theta + g * negativeLr / average);
            }
        }
        return new OptimizerStep<T, RmsPropState<T>>(newParameters,
            new RmsPropState<T>(state.Step + 1, newSquareAvg, newGradAvg, newMomentum));
    }
}

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

}

/// <summary>
/// The state of <see cref="RmsProp"/>: the step count, the running mean of squared gradients of every parameter, and
/// (when centered) the running mean of gradients and (with momentum) a momentum buffer. Immutable.
/// </summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="SquareAvg">The running mean of squared gradients v, by parameter name (PyTorch's <c>square_avg</c>).</param>
/// <param name="GradAvg">The running mean of gradients ḡ when centered, else empty (PyTorch's <c>grad_avg</c>).</param>
/// <param name="MomentumBuffer">The momentum buffer b with momentum, else empty (PyTorch's <c>momentum_buffer</c>).</param>
public sealed record RmsPropState<T>(long Step, Params<T> SquareAvg, Params<T> GradAvg, Params<T> MomentumBuffer) : OptimizerState<T>(Step)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>square_avg.{parameter}</c>, then
    /// <c>grad_avg.{parameter}</c> and <c>momentum_buffer.{parameter}</c> where present, then <c>step</c> (a scalar).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public override Params<T> ToParams() =>
        OptimizerSlots.Join(Step, ("square_avg", SquareAvg), ("grad_avg", GradAvg), ("momentum_buffer", MomentumBuffer));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static RmsPropState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "RmsPropState.FromParams", "square_avg", "grad_avg", "momentum_buffer");
        return new RmsPropState<T>(step, slots[0], slots[1], slots[2]);
    }

    /// <summary>This state with <see cref="OptimizerState{T}.Step"/> replaced.</summary>
    public RmsPropState<T> WithStep(long step) => this with { Step = step };
}

/// <summary><see cref="RmsProp"/> as an <see cref="IOptimizer"/>.</summary>
internal sealed record RmsPropOptimizer(RmsPropOptions Options) : IOptimizer
{
    public OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T> => RmsProp.Init(parameters, Options);

    public OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (next, nextState) = RmsProp.Step(parameters, gradients, OptimizerSlots.RequireState<T, RmsPropState<T>>(state, "RmsProp"), Options, "RmsProp.Update");
        return new(next, nextState);
    }

    public OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T> => RmsPropState<T>.FromParams(tensors);

    public IOptimizer WithLearningRate(double learningRate) => this with { Options = Options.WithLearningRate(learningRate) };

    public override string ToString() => $"RmsProp({Options})";
}
