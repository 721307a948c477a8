using System.Numerics;

namespace Autograd.Rnn;

/// <summary>The state of <see cref="Adagrad"/>: the step count and the sum of squared gradients of every parameter. Immutable.</summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="Sum">The accumulated squared gradients, by parameter name (PyTorch's <c>sum</c>).</param>
public sealed record AdagradState<T>(long Step, Params<T> Sum) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The state as one named collection, for checkpoints: <c>sum.{parameter}</c>, then <c>step</c> (a scalar).</summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public Params<T> ToParams() => OptimizerSlots.Join(Step, ("sum", Sum));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static AdagradState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "AdagradState.FromParams", "sum");
        return new AdagradState<T>(step, slots[0]);
    }

    /// <summary>This state with <see cref="Step"/> replaced.</summary>
    public AdagradState<T> WithStep(long step) => this with { Step = step };
}
