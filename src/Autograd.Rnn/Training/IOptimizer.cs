using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// An optimizer as a value: an init/update pair of pure functions (Optax's <c>GradientTransformation</c>, ending in new
/// parameters rather than updates so that every step stays torch.optim's to the last bit). It holds only
/// hyper-parameters, so one optimizer serves any element type and any number of models; the state is a value the caller
/// threads through. Make one with <see cref="Optimizer.Sgd"/>, <see cref="Optimizer.Adam"/>, <see cref="Optimizer.RmsProp"/>
/// or <see cref="Optimizer.Adagrad"/>, and compose it with gradient transforms and a schedule with
/// <see cref="Optimizer.Chain(IGradientTransform, IOptimizer, Schedule?)"/>.
/// </summary>
public interface IOptimizer
{
    /// <summary>The state before the first step, shaped for <paramref name="parameters"/> (step 0).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// One step: the updated parameters and the next state (its <see cref="OptimizerState{T}.Step"/> one higher).
    /// Neither input is changed. Deconstructible in C#: <c>(parameters, state) = optimizer.Update(parameters, gradients, state)</c>.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step of this optimizer.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, a parameter or gradient holds a NaN or an
    /// infinity, or the state belongs to another kind of optimizer.</exception>
    OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The state that <see cref="OptimizerState{T}.ToParams"/> wrote, as this optimizer's state type (for checkpoints).</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not one of this optimizer's state tensors.</exception>
    OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>This optimizer with its learning rate replaced (what a <see cref="Schedule"/> in a chain calls before each step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite.</exception>
    IOptimizer WithLearningRate(double learningRate);
}
