using System.Numerics;

namespace Autograd.Rnn.Testing;

/// <summary>
/// One generated test case for a cell: the sizes of a batch of sequences, each sequence's length, and the seed every
/// tensor of the case is drawn from. A case is a value: the same case always gives the same tensors, so a failure is
/// replayed from what its message prints.
/// </summary>
/// <param name="Time">Time steps of the batch.</param>
/// <param name="Batch">Sequences in the batch.</param>
/// <param name="Input">Input features.</param>
/// <param name="Hidden">Hidden size of the cell.</param>
/// <param name="Lengths">Each sequence's length, 1..<paramref name="Time"/> (steps at or beyond it are padding).</param>
/// <param name="Seed">The seed of the parameters, inputs and initial state.</param>
public sealed record CellCase(int Time, int Batch, int Input, int Hidden, IReadOnlyList<int> Lengths, ulong Seed)
{
    /// <summary>The lengths as an array, as <see cref="Recurrence.Scan{T}(Cell{T}, Params{T}, RecurrentState{T}, Tensor{T}, int[], bool, Func{int, RecurrentState{T}, RecurrentState{T}}?)"/> takes them.</summary>
    public int[] LengthArray => [.. Lengths];

    /// <summary>Whether any sequence is shorter than <see cref="Time"/>.</summary>
    public bool HasPadding => Lengths.Any(length => length < Time);

    /// <summary>
    /// The cell's parameters for this case: <see cref="Cell{T}.Initialize"/> with the case's seed, every tensor multiplied by
    /// <paramref name="scale"/> (above 1 drives gates towards saturation; below 1 towards linearity).
    /// </summary>
    public Params<T> Parameters<T>(Cell<T> cell, double scale = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Scaled(cell.Initialize(Input, Hidden, Seed), scale);
    }

    /// <summary>Standard normal inputs [time, batch, input], with every padded step set to <paramref name="padding"/>.</summary>
    public Tensor<T> Inputs<T>(double padding = 0.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = Tensor.RandomNormal<T>([Time, Batch, Input], Seed + 1).ToArray();
        var fill = T.CreateChecked(padding);
        for (int t = 0; t < Time; t++)
            for (int b = 0; b < Batch; b++)
                if (t >= Lengths[b])
                    values.AsSpan((t * Batch + b) * Input, Input).Fill(fill);
        return Tensor.FromArray(values, Time, Batch, Input);
    }

    /// <summary>A random initial state: <paramref name="parts"/> tensors [batch, hidden], normal with standard deviation 0.5.</summary>
    public RecurrentState<T> InitialState<T>(int parts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        var tensors = new Tensor<T>[parts];
        for (int part = 0; part < parts; part++)
            tensors[part] = Tensor.RandomNormal<T>([Batch, Hidden], Seed + 2 + (ulong)part, 0, 0.5);
        return RecurrentState<T>.Of(tensors);
    }

    /// <summary>Formats as <c>time 3, batch 2, input 2, hidden 3, lengths [3,1], seed 42</c>.</summary>
    public override string ToString() =>
        $"time {Time}, batch {Batch}, input {Input}, hidden {Hidden}, lengths [{string.Join(",", Lengths)}], seed {Seed}";

    internal static Params<T> Scaled<T>(Params<T> parameters, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scale == 1.0) return parameters;
        var factor = T.CreateChecked(scale);
        return parameters.Map(t => Values.Build(t.ToArray().Select(v => v * factor).ToArray(), t.Shape));
    }
}
