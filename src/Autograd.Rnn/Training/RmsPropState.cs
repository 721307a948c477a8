using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The state of <see cref="RmsProp"/>: the step count, the running mean of squared gradients of every parameter, and
/// (when centered) the running mean of gradients and (with momentum) a momentum buffer. Immutable.
/// </summary>
/// <param name="Step">How many steps have been taken.</param>
/// <param name="SquareAvg">The running mean of squared gradients v, by parameter name (PyTorch's <c>square_avg</c>).</param>
/// <param name="GradAvg">The running mean of gradients ḡ when centered, else empty (PyTorch's <c>grad_avg</c>).</param>
/// <param name="MomentumBuffer">The momentum buffer b with momentum, else empty (PyTorch's <c>momentum_buffer</c>).</param>
public sealed record RmsPropState<T>(long Step, Params<T> SquareAvg, Params<T> GradAvg, Params<T> MomentumBuffer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>square_avg.{parameter}</c>, then
    /// <c>grad_avg.{parameter}</c> and <c>momentum_buffer.{parameter}</c> where present, then <c>step</c> (a scalar).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public Params<T> ToParams() =>
        OptimizerSlots.Join(Step, ("square_avg", SquareAvg), ("grad_avg", GradAvg), ("momentum_buffer", MomentumBuffer));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static RmsPropState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "RmsPropState.FromParams", "square_avg", "grad_avg", "momentum_buffer");
        return new RmsPropState<T>(step, slots[0], slots[1], slots[2]);
    }

    /// <summary>This state with <see cref="Step"/> replaced.</summary>
    public RmsPropState<T> WithStep(long step) => this with { Step = step };
}
