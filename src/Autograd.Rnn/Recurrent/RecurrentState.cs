using System.Collections;
using System.Collections.Immutable;
using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The state a recurrent cell carries from one time step to the next: one or more tensors [batch, hidden].
/// Part 0 is the hidden state h (what the cell outputs at each step); an LSTM adds the cell state c as part 1.
/// Immutable.
/// </summary>
public sealed class RecurrentState<T> : IReadOnlyList<Tensor<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImmutableArray<Tensor<T>> parts;

    private RecurrentState(ImmutableArray<Tensor<T>> parts) => this.parts = parts;

    /// <summary>A state made of <paramref name="parts"/> (h first).</summary>
    /// <exception cref="ArgumentException">No parts, or parts of different shapes' batch sizes.</exception>
    public static RecurrentState<T> Of(params Tensor<T>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("RecurrentState: a state needs at least one tensor.", nameof(parts));
        foreach (var part in parts) ArgumentNullException.ThrowIfNull(part, nameof(parts));
        return new RecurrentState<T>([.. parts]);
    }

    /// <summary>The hidden state h [batch, hidden]: part 0, the cell's output at each step.</summary>
    public Tensor<T> Hidden => parts[0];

    /// <summary>Part <paramref name="index"/> of the state (for an LSTM, 0 is h and 1 is c).</summary>
    public Tensor<T> this[int index] => parts[index];

    /// <summary>How many tensors the state holds.</summary>
    public int Count => parts.Length;

    /// <summary>Applies <paramref name="map"/> to every part.</summary>
    public RecurrentState<T> Map(Func<Tensor<T>, Tensor<T>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = ImmutableArray.CreateBuilder<Tensor<T>>(parts.Length);
        foreach (var part in parts) builder.Add(map(part));
        return new RecurrentState<T>(builder.MoveToImmutable());
    }

    /// <summary>Combines two states of the same structure part by part.</summary>
    /// <exception cref="ArgumentException">The states have different numbers of parts.</exception>
    public RecurrentState<T> Zip(RecurrentState<T> other, Func<Tensor<T>, Tensor<T>, Tensor<T>> combine)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(combine);
        if (other.Count != Count)
            throw new ArgumentException($"RecurrentState.Zip: {Count} parts and {other.Count} parts.");
        var builder = ImmutableArray.CreateBuilder<Tensor<T>>(parts.Length);
        for (int i = 0; i < parts.Length; i++) builder.Add(combine(parts[i], other.parts[i]));
        return new RecurrentState<T>(builder.MoveToImmutable());
    }

    /// <summary>The parts in order.</summary>
    public IEnumerator<Tensor<T>> GetEnumerator() => ((IEnumerable<Tensor<T>>)parts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The shapes of the parts.</summary>
    public override string ToString() => "RecurrentState(" + string.Join(", ", parts.Select(p => p.Shape.ToString())) + ")";
}
