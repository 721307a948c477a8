using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// What every optimizer's state has in common: the number of steps taken and a way to save it. Each optimizer has its
/// own immutable state type derived from this one (<see cref="SgdState{T}"/>, <see cref="AdamState{T}"/>,
/// <see cref="RmsPropState{T}"/>, <see cref="AdagradState{T}"/>); an <see cref="IOptimizer"/> hands it out from
/// <see cref="IOptimizer.Init{T}"/> and takes it back in <see cref="IOptimizer.Update{T}"/>. Nothing changes a state:
/// a step returns a new one, which the caller threads through the training loop.
/// </summary>
/// <typeparam name="T">The element type of the parameters.</typeparam>
/// <param name="Step">How many steps have been taken (t − 1 during step t; what a <see cref="Schedule"/> is asked for).</param>
public abstract record OptimizerState<T>(long Step) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>{slot}.{parameter}</c> tensors under PyTorch's
    /// <c>state_dict</c> slot names (<c>exp_avg</c>, <c>momentum_buffer</c>, …), then <c>step</c>, a scalar holding
    /// the step count. <see cref="IOptimizer.StateFromParams{T}"/> (or the state type's <c>FromParams</c>) reads it back.
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public abstract Params<T> ToParams();
}
