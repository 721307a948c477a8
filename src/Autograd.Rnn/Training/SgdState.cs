using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The state of <see cref="Sgd"/>: the step count and, with momentum, one momentum buffer per parameter.
/// As in PyTorch a parameter has no buffer until its first step with momentum, which sets the buffer to that step's
/// gradient. Immutable: a step returns a new state.
/// </summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="MomentumBuffer">The momentum buffer b of each parameter that has one, by parameter name (PyTorch's <c>momentum_buffer</c>).</param>
public sealed record SgdState<T>(long Step, Params<T> MomentumBuffer) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>momentum_buffer.{parameter}</c> for each buffer and
    /// <c>step</c> (a scalar holding the step count).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public Params<T> ToParams() => OptimizerSlots.Join(Step, ("momentum_buffer", MomentumBuffer));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static SgdState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "SgdState.FromParams", "momentum_buffer");
        return new SgdState<T>(step, slots[0]);
    }

    /// <summary>This state with <see cref="Step"/> replaced.</summary>
    public SgdState<T> WithStep(long step) => this with { Step = step };
}
