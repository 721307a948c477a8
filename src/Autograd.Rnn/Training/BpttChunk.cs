using System.Numerics;

namespace Autograd.Rnn;

/// <summary>One chunk of a truncated-BPTT run, as the loss function sees it.</summary>
/// <param name="Index">The chunk's number, from 0.</param>
/// <param name="Start">The time index of the chunk's first step in the whole sequence.</param>
/// <param name="Length">How many steps the chunk holds (the last chunk may be shorter than the others).</param>
/// <param name="InitialState">The state the chunk starts from: the previous chunk's final state as a constant (no gradient flows into earlier chunks).</param>
/// <param name="Outputs">The hidden state after every step of the chunk, [length, batch, hidden] (traced: the loss is differentiated through it).</param>
/// <param name="FinalState">The state after the chunk's last step (traced).</param>
public sealed record BpttChunk<T>(int Index, int Start, int Length, RecurrentState<T> InitialState, Tensor<T> Outputs, RecurrentState<T> FinalState)
    where T : unmanaged, IFloatingPointIeee754<T>;
