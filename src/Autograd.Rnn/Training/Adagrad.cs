using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Adagrad (Duchi, Hazan and Singer 2011) as a pure function. The update is <c>torch.optim.Adagrad</c>'s, for each
/// parameter θ with gradient g at step t (counted from 1):
/// <code>
/// g ← g + λ·θ                    (weight decay λ, when λ ≠ 0)
/// s ← s + g²
/// θ ← θ − (lr / (1 + (t − 1)·δ)) · g / (√s + ε)
/// </code>
/// </summary>
public static class Adagrad
{
    /// <summary>The state before the first step: step 0 and every sum filled with the options' initial accumulator value.</summary>
    public static AdagradState<T> Init<T>(Params<T> parameters, AdagradOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= AdagradOptions.Default;
        T initial = T.CreateChecked(options.InitialAccumulatorValue);
        return new AdagradState<T>(0, parameters.Map(p => Tensor.Full(initial, p.Shape.ToArray())));
    }

    /// <summary>One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero.</summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="AdagradOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, AdagradState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdagradState<T> state, AdagradOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Step(parameters, gradients, state, options ?? AdagradOptions.Default, "Adagrad.Step");

    internal static OptimizerStep<T, AdagradState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdagradState<T> state, AdagradOptions options,
        string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        OptimizerSlots.RequireGradients(parameters, gradients, operation);
        OptimizerSlots.RequireFullSlot(parameters, state.Sum, "sum", operation);

        long step = state.Step + 1;
        double clr = options.LearningRate / (1 + (step - 1) * options.LearningRateDecay);
        T negativeClr = T.CreateChecked(-clr), weightDecay = T.CreateChecked(options.WeightDecay), eps = T.CreateChecked(options.Epsilon);
        var newParameters = Params<T>.Empty;
        var newSum = Params<T>.Empty;
        foreach (var (name, theta) in parameters)
        {
            var g = gradients[name];
            if (options.WeightDecay != 0) g = g + theta * weightDecay;
            var sum = state.Sum[name] + g * g;
            var std = Tensor.Sqrt(sum) + eps;
            newSum = newSum.Add(name, sum);
            newParameters = newParameters.Add(name, theta + g * negativeClr / std);
        }
        return new OptimizerStep<T, AdagradState<T>>(newParameters, new AdagradState<T>(step, newSum));
    }
}

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

}

/// <summary>The state of <see cref="Adagrad"/>: the step count and the sum of squared gradients of every parameter. Immutable.</summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="Sum">The accumulated squared gradients, by parameter name (PyTorch's <c>sum</c>).</param>
public sealed record AdagradState<T>(long Step, Params<T> Sum) : OptimizerState<T>(Step) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The state as one named collection, for checkpoints: <c>sum.{parameter}</c>, then <c>step</c> (a scalar).</summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public override Params<T> ToParams() => OptimizerSlots.Join(Step, ("sum", Sum));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static AdagradState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "AdagradState.FromParams", "sum");
        return new AdagradState<T>(step, slots[0]);
    }

    /// <summary>This state with <see cref="OptimizerState{T}.Step"/> replaced.</summary>
    public AdagradState<T> WithStep(long step) => this with { Step = step };
}

/// <summary><see cref="Adagrad"/> as an <see cref="IOptimizer"/>.</summary>
internal sealed record AdagradOptimizer(AdagradOptions Options) : IOptimizer
{
    public OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T> => Adagrad.Init(parameters, Options);

    public OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (next, nextState) = Adagrad.Step(parameters, gradients, OptimizerSlots.RequireState<T, AdagradState<T>>(state, "Adagrad"), Options, "Adagrad.Update");
        return new(next, nextState);
    }

    public OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T> => AdagradState<T>.FromParams(tensors);

    public IOptimizer WithLearningRate(double learningRate) => this with { Options = Options.WithLearningRate(learningRate) };

    public override string ToString() => $"Adagrad({Options})";
}
