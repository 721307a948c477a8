using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Truncated backpropagation through time (Williams and Peng 1990; the "TBPTT(k, k)" of Sutskever 2013): a long
/// sequence is cut into chunks of k steps; each chunk is run forward from the state the previous chunk ended in,
/// differentiated back to its own first step only, and followed by a parameter update. The carried state is made a
/// constant with <see cref="Tensor.StopGradient{T}"/>, so memory and time per update are bounded by k whatever the
/// sequence's length, at the price of gradients that see at most k steps back.
/// </summary>
public static class TruncatedBptt
{
    /// <summary>
    /// One pass over <paramref name="inputs"/> [time, batch, features] in chunks of <paramref name="chunkLength"/>
    /// steps (the last chunk holds what remains). For each chunk: run <paramref name="cell"/> from the carried state,
    /// take the gradient of <paramref name="loss"/>(parameters, chunk) with respect to all parameters, apply
    /// <paramref name="update"/>, and carry the chunk's final state, detached, into the next chunk.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TState">The optimizer's state type.</typeparam>
    /// <param name="cell">The recurrent cell.</param>
    /// <param name="parameters">All trainable parameters: the cell's (which the cell reads by its own names) and any others the loss reads, e.g. a readout.</param>
    /// <param name="initialState">The state before the first step.</param>
    /// <param name="inputs">[time, batch, features].</param>
    /// <param name="chunkLength">k, the number of steps per chunk (≥ 1).</param>
    /// <param name="loss">The chunk's scalar loss from the (traced) parameters and the chunk's run; slice your targets with <see cref="BpttChunk{T}.Start"/> and <see cref="BpttChunk{T}.Length"/>.</param>
    /// <param name="optimizerState">The optimizer state before the first update.</param>
    /// <param name="update">(parameters, gradients, optimizer state) -> updated parameters and state, e.g.
    /// <c>(p, g, s) => Adam.Step(p, g, s, options)</c>; clip the gradients inside it if you want to.</param>
    /// <exception cref="ArgumentException">Inputs are not 3-D, or the chunk length is below 1.</exception>
    public static TruncatedBpttResult<T, TState> Run<T, TState>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState,
        Tensor<T> inputs, int chunkLength, Func<Params<T>, BpttChunk<T>, Tensor<T>> loss, TState optimizerState,
        Func<Params<T>, Params<T>, TState, OptimizerStep<T, TState>> update) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(update);
        if (inputs.Rank != 3)
            throw new ArgumentException($"TruncatedBptt.Run: inputs {inputs.Shape} must be [time, batch, features].", nameof(inputs));
        if (chunkLength < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkLength), chunkLength, "TruncatedBptt.Run: the chunk length must be ≥ 1.");

        int steps = inputs.Shape[0];
        int chunks = (steps + chunkLength - 1) / chunkLength;
        var losses = new double[chunks];
        var carried = initialState.Map(Tensor.StopGradient);
        for (int index = 0; index < chunks; index++)
        {
            int start = index * chunkLength, length = Math.Min(chunkLength, steps - start);
            var chunkInputs = Tensor.Narrow(inputs, 0, start, length);
            var chunkStart = carried;
            RecurrentState<T>? finalState = null;
            var result = Grad.ValueAndGrad(p =>
            {
                var run = Recurrence.Scan(cell, p, chunkStart, chunkInputs);
                finalState = run.FinalState;
                return loss(p, new BpttChunk<T>(index, start, length, chunkStart, run.Outputs, run.FinalState));
            }, parameters);
            losses[index] = double.CreateChecked(result.Value.Item);
            // The final state was computed from traced parameters; keep its value only.
            carried = finalState!.Map(Tensor.StopGradient);
            var step = update(parameters, result.Gradients, optimizerState)
                ?? throw new InvalidOperationException($"TruncatedBptt.Run: the update returned null at chunk {index}.");
            parameters = step.Parameters;
            optimizerState = step.State;
        }
        return new TruncatedBpttResult<T, TState>(parameters, optimizerState, carried, losses);
    }

    /// <summary>
    /// <see cref="Run{T, TState}(Cell{T}, Params{T}, RecurrentState{T}, Tensor{T}, int, Func{Params{T}, BpttChunk{T}, Tensor{T}}, TState, Func{Params{T}, Params{T}, TState, OptimizerStep{T, TState}})"/>
    /// with time-major <paramref name="targets"/> [time, …] cut into the same chunks as the inputs: the loss receives
    /// the parameters, the chunk's outputs [length, batch, hidden] and the chunk's targets [length, …].
    /// </summary>
    /// <exception cref="ArgumentException">The targets do not have as many time steps as the inputs.</exception>
    public static TruncatedBpttResult<T, TState> Run<T, TState>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState,
        Tensor<T> inputs, Tensor<T> targets, int chunkLength, Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> loss, TState optimizerState,
        Func<Params<T>, Params<T>, TState, OptimizerStep<T, TState>> update) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(loss);
        if (targets.Rank == 0 || inputs.Rank == 0 || targets.Shape[0] != inputs.Shape[0])
            throw new ArgumentException($"TruncatedBptt.Run: targets {targets.Shape} and inputs {inputs.Shape} must have the same number of time steps (axis 0).", nameof(targets));
        return Run(cell, parameters, initialState, inputs, chunkLength,
            (p, chunk) => loss(p, chunk.Outputs, Tensor.Narrow(targets, 0, chunk.Start, chunk.Length)), optimizerState, update);
    }
}
