using System.Collections;
using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The states of a planned unroll, read from its one [parts·time, batch, hidden] result (part-major: part p of step t is
/// row p·time + t). The outputs and the final state are sliced at once; a step's state is sliced when it is first read
/// and kept, so a caller that reads only the outputs (a layer) records no per-step slice at its <see cref="Grad"/> level.
/// </summary>
internal sealed class PlannedStepStates<T> : IReadOnlyList<RecurrentState<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> result;
    private readonly int parts;
    private readonly RecurrentState<T>?[] states;

    private PlannedStepStates(Tensor<T> result, int parts, int steps)
    {
        this.result = result;
        this.parts = parts;
        states = new RecurrentState<T>?[steps];
    }

    /// <summary>The scan's result over <paramref name="result"/>: outputs [time, batch, hidden], final state, step states.</summary>
    public static ScanResult<T> Result(Tensor<T> result, int parts, int steps, bool reverse)
    {
        var stepStates = new PlannedStepStates<T>(result, parts, steps);
        int batch = result.Shape[1], hidden = result.Shape[2];
        var outputs = Tensor.Narrow(result, 0, 0, steps).Reshape(steps, batch, hidden);
        return new ScanResult<T>(outputs, stepStates[reverse ? 0 : steps - 1], stepStates);
    }

    public int Count => states.Length;

    public RecurrentState<T> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)states.Length)
                throw new ArgumentOutOfRangeException(nameof(index), $"Scan: step {index} is outside 0..{states.Length - 1}.");
            if (states[index] is { } state) return state;
            var slices = new Tensor<T>[parts];
            var shape = result.Shape.Without(0);
            for (int p = 0; p < parts; p++) slices[p] = Tensor.Narrow(result, 0, p * states.Length + index, 1).Reshape(shape);
            // Tensors are shared between threads: two first reads may race; either slice is right, and one is kept.
            return Interlocked.CompareExchange(ref states[index], RecurrentState<T>.Of(slices), null) ?? states[index]!;
        }
    }

    public IEnumerator<RecurrentState<T>> GetEnumerator()
    {
        for (int t = 0; t < states.Length; t++) yield return this[t];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
