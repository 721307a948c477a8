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
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string operation = "Sgd.Step";
        ArgumentNullException.ThrowIfNull(state);
        options ??= SgdOptions.Default;
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
