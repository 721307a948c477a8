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
        options.Validate("Adagrad.Init");
        T initial = T.CreateChecked(options.InitialAccumulatorValue);
        return new AdagradState<T>(0, parameters.Map(p => Tensor.Full(initial, p.Shape.ToArray())));
    }

    /// <summary>One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero.</summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="AdagradOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, AdagradState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdagradState<T> state,
        AdagradOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string operation = "Adagrad.Step";
        ArgumentNullException.ThrowIfNull(state);
        options ??= AdagradOptions.Default;
        options.Validate(operation);
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
