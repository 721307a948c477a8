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
    public static OptimizerStep<T, RmsPropState<T>> Step<T>(Params<T> parameters, Params<T> gradients, RmsPropState<T> state,
        RmsPropOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string operation = "RmsProp.Step";
        ArgumentNullException.ThrowIfNull(state);
        options ??= RmsPropOptions.Default;
        options.Validate(operation);
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
