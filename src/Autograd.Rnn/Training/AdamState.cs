using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The state of <see cref="Adam"/> and <see cref="AdamW"/>: the step count and the two running moments of every
/// parameter. Immutable: a step returns a new state.
/// </summary>
/// <param name="Step">How many steps have been taken (t in the bias corrections 1 − βᵗ).</param>
/// <param name="ExpAvg">The running mean of gradients m, by parameter name (PyTorch's <c>exp_avg</c>).</param>
/// <param name="ExpAvgSq">The running mean of squared gradients v, by parameter name (PyTorch's <c>exp_avg_sq</c>).</param>
public sealed record AdamState<T>(long Step, Params<T> ExpAvg, Params<T> ExpAvgSq) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The state as one named collection, for checkpoints: <c>exp_avg.{parameter}</c>, then
    /// <c>exp_avg_sq.{parameter}</c>, then <c>step</c> (a scalar holding the step count).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public Params<T> ToParams() => OptimizerSlots.Join(Step, ("exp_avg", ExpAvg), ("exp_avg_sq", ExpAvgSq));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static AdamState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "AdamState.FromParams", "exp_avg", "exp_avg_sq");
        return new AdamState<T>(step, slots[0], slots[1]);
    }

    /// <summary>This state with <see cref="Step"/> replaced.</summary>
    public AdamState<T> WithStep(long step) => this with { Step = step };

    /// <summary>The state before the first step: step 0 and zero moments.</summary>
    internal static AdamState<T> Zero(Params<T> parameters) =>
        new(0, OptimizerSlots.ZerosLike(parameters), OptimizerSlots.ZerosLike(parameters));
}
