using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay, as a pure function. The update is
/// <c>torch.optim.AdamW</c>'s, for each parameter θ with gradient g at step t (counted from 1):
/// <code>
/// θ ← θ·(1 − lr·λ)                           (decoupled weight decay λ: not part of the gradient)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// It shares <see cref="AdamState{T}"/> with <see cref="Adam"/>.
/// </summary>
public static class AdamW
{
    /// <summary>The state before the first step: step 0 and zero moments shaped like each parameter.</summary>
    public static AdamState<T> Init<T>(Params<T> parameters, AdamWOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return AdamState<T>.Zero(parameters);
    }

    /// <summary>
    /// One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero
    /// (it still decays), as PyTorch does for a zero <c>.grad</c>.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="AdamWOptions.Default"/> (weight decay 1e-2) when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a gradient holds a NaN or an infinity, or the options are invalid.</exception>
    public static OptimizerStep<T, AdamState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdamState<T> state, AdamWOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= AdamWOptions.Default;
        options.Validate("AdamW.Step");
        return AdamUpdate.Apply(parameters, gradients, state, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon,
            l2Penalty: 0, decoupledDecay: options.WeightDecay, "AdamW.Step");
    }
}
