using System.Numerics;

namespace Autograd.Rnn;

/// <summary>What a truncated-BPTT pass over one long sequence returns.</summary>
/// <param name="Parameters">The parameters after the last chunk's update.</param>
/// <param name="OptimizerState">The optimizer state after the last chunk's update (pass it to the next pass).</param>
/// <param name="FinalState">The recurrent state after the last step, as a constant (carry it into the next sequence if it continues this one).</param>
/// <param name="Losses">Each chunk's loss, in order, evaluated with the parameters before that chunk's update.</param>
public sealed record TruncatedBpttResult<T, TState>(Params<T> Parameters, TState OptimizerState, RecurrentState<T> FinalState, double[] Losses)
    where T : unmanaged, IFloatingPointIeee754<T>;
