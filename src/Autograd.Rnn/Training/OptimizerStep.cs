using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// What one optimizer step returns: the updated parameters and the optimizer state to pass to the next step.
/// Neither input of the step is changed; thread <see cref="State"/> through the training loop yourself.
/// </summary>
/// <typeparam name="T">The element type of the parameters.</typeparam>
/// <typeparam name="TState">The optimizer's state type (for example <see cref="AdamState{T}"/>).</typeparam>
/// <param name="Parameters">The parameters after the update, by the same names and shapes.</param>
/// <param name="State">The optimizer state after the update (its step count one higher).</param>
public sealed record OptimizerStep<T, TState>(Params<T> Parameters, TState State) where T : unmanaged, IFloatingPointIeee754<T>;
