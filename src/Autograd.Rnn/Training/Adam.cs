using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Adam (Kingma and Ba 2015) as a pure function. The update is <c>torch.optim.Adam</c>'s, for each parameter θ with
/// gradient g at step t (counted from 1):
/// <code>
/// g ← g + λ·θ                                (weight decay λ as an L2 penalty, when λ ≠ 0)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public static class Adam
{
    /// <summary>The state before the first step: step 0 and zero moments shaped like each parameter.</summary>
    public static AdamState<T> Init<T>(Params<T> parameters, AdamOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return AdamState<T>.Zero(parameters);
    }

    /// <summary>
    /// One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero
    /// (its moments still decay and it still moves along m), as PyTorch does for a zero <c>.grad</c>.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="AdamOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, AdamState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdamState<T> state, AdamOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= AdamOptions.Default;
        options.Validate("Adam.Step");
        return AdamUpdate.Apply(parameters, gradients, state, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon,
            l2Penalty: options.WeightDecay, decoupledDecay: 0, "Adam.Step");
    }
}

/// <summary>The Adam update shared by <see cref="Adam"/> (L2 penalty) and <see cref="AdamW"/> (decoupled decay).</summary>
internal static class AdamUpdate
{
    public static OptimizerStep<T, AdamState<T>> Apply<T>(Params<T> parameters, Params<T> gradients, AdamState<T> state,
        double learningRate, double beta1, double beta2, double epsilon, double l2Penalty, double decoupledDecay, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        OptimizerSlots.RequireGradients(parameters, gradients, operation);
        OptimizerSlots.RequireFullSlot(parameters, state.ExpAvg, "exp_avg", operation);
        OptimizerSlots.RequireFullSlot(parameters, state.ExpAvgSq, "exp_avg_sq", operation);

        long step = state.Step + 1;
        // The scalar coefficients in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        T stepSize = T.CreateChecked(-(learningRate / biasCorrection1));
        T biasCorrection2Sqrt = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T b1 = T.CreateChecked(beta1), oneMinusB1 = T.CreateChecked(1 - beta1);
        T b2 = T.CreateChecked(beta2), oneMinusB2 = T.CreateChecked(1 - beta2);
        T eps = T.CreateChecked(epsilon), l2 = T.CreateChecked(l2Penalty);
        T decayFactor = T.CreateChecked(1 - learningRate * decoupledDecay);

        var newParameters = Params<T>.Empty;
        var newExpAvg = Params<T>.Empty;
        var newExpAvgSq = Params<T>.Empty;
        foreach (var (name, parameter) in parameters)
        {
            var theta = parameter;
            var g = gradients[name];
            if (decoupledDecay != 0) theta = theta * decayFactor;
            if (l2Penalty != 0) g = g + theta * l2;
            var m = state.ExpAvg[name] * b1 + g * oneMinusB1;
            var v = state.ExpAvgSq[name] * b2 + g * oneMinusB2 * g;
            var denominator = Tensor.Sqrt(v) / biasCorrection2Sqrt + eps;
            // PyTorch's addcdiv: θ + (value·m) / denominator.
            newParameters = newParameters.Add(name, theta + m * stepSize / denominator);
            newExpAvg = newExpAvg.Add(name, m);
            newExpAvgSq = newExpAvgSq.Add(name, v);
        }
        return new OptimizerStep<T, AdamState<T>>(newParameters, new AdamState<T>(step, newExpAvg, newExpAvgSq));
    }
}
