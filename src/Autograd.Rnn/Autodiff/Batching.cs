using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// One input or result of an op's batching rule (<see cref="Level.IsBatching"/>): a tensor one level down and where its
/// batch axis is, or <see cref="Axis"/> = −1 for an input that is the same for every example (it is not batched at
/// this level, and the rule broadcasts it).
/// </summary>
internal readonly record struct Batched<T>(Tensor<T> Value, int Axis) where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool IsBatched => Axis >= 0;

    /// <summary>The rank of one example.</summary>
    public int ExampleRank => IsBatched ? Value.Rank - 1 : Value.Rank;

    /// <summary>The shape of one example.</summary>
    public Shape ExampleShape => IsBatched ? Value.Shape.Without(Axis) : Value.Shape;

    /// <summary>Where an example's <paramref name="axis"/> (normalized) sits in the batch: one further on from the batch axis.</summary>
    public int Shift(int axis) => axis < Axis ? axis : axis + 1;
}

/// <summary>Batching rules: <c>rule(x, batchAxis) -> (batch, batchAxis)</c>, written with public ops on the batches one level down.</summary>
internal delegate Batched<T> UnaryBatch<T>(Tensor<T> batch, int axis) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The batching rule of a two-input op; at least one input is batched.</summary>
internal delegate Batched<T> BinaryBatch<T>(Batched<T> a, Batched<T> b) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The batching rule of an n-input op; at least one input is batched.</summary>
internal delegate Batched<T> NaryBatch<T>(Batched<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// The moves batching rules share, all written with public ops (so a rule's result is traced at any enclosing level and
/// differentiable there): bring the batch axis to the front, line an example's axes up with another input's for
/// broadcasting, give an unbatched input the batch axis.
/// </summary>
internal static class Batching
{
    /// <summary>The batch with its batch axis first: [B, example…].</summary>
    public static Tensor<T> Front<T>(Tensor<T> batch, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (axis == 0) return batch;
        var order = new int[batch.Rank];
        order[0] = axis;
        for (int a = 0, next = 1; a < batch.Rank; a++) if (a != axis) order[next++] = a;
        return PermuteOp.Apply(batch, order);
    }

    /// <summary>The batch with its batch axis moved from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static Tensor<T> Move<T>(Tensor<T> batch, int from, int to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (from == to) return batch;
        var rest = new List<int>(batch.Rank);
        for (int a = 0; a < batch.Rank; a++) if (a != from) rest.Add(a);
        rest.Insert(to, from);
        return PermuteOp.Apply(batch, rest.ToArray());
    }

    /// <summary>
    /// For elementwise broadcasting among examples of up to <paramref name="rank"/> axes: a batched input as
    /// [B, 1…, example…] of rank + 1 (NumPy aligns from the right, so an example of fewer axes gets its ones after the
    /// batch axis, not before it); an unbatched input as it is, which broadcasts against that unchanged.
    /// </summary>
    public static Tensor<T> Align<T>(Batched<T> x, int rank) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!x.IsBatched) return x.Value;
        var front = Front(x.Value, x.Axis);
        if (x.ExampleRank == rank) return front;
        var dimensions = new int[rank + 1];
        dimensions.AsSpan().Fill(1);
        dimensions[0] = front.Shape.Span[0];
        front.Shape.Span[1..].CopyTo(dimensions.AsSpan(1 + rank - x.ExampleRank));
        return ReshapeOp.Apply(front, new Shape(dimensions));
    }

    /// <summary>The rule of every broadcasting elementwise op of two inputs: align both, apply the op, batch axis first.</summary>
    public static Batched<T> Elementwise<T>(Batched<T> a, Batched<T> b, Func<Tensor<T>, Tensor<T>, Tensor<T>> op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = Math.Max(a.ExampleRank, b.ExampleRank);
        return new(op(Align(a, rank), Align(b, rank)), 0);
    }

    /// <summary>The input as [B, example…]: batched ones with the batch axis first, unbatched ones broadcast to <paramref name="size"/> examples.</summary>
    public static Tensor<T> Expand<T>(Batched<T> x, int size) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsBatched) return Front(x.Value, x.Axis);
        var shape = x.Value.Shape.Inserting(0, 1);
        return BroadcastToOp.Apply(ReshapeOp.Apply(x.Value, shape), shape.WithDimension(0, size));
    }

    /// <summary>How many examples the batched inputs hold (they all come from one Vmap call, so they agree).</summary>
    public static int Size<T>(ReadOnlySpan<Batched<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var input in inputs) if (input.IsBatched) return input.Value.Shape.Span[input.Axis];
        throw new InvalidOperationException("Batching: no input is batched.");
    }

    /// <summary>
    /// For ops that read values (masks, comparisons, a softmax's shift: constants at every differentiation level): the
    /// innermost live batching level among <paramref name="inputs"/>, looking through the reverse and forward levels
    /// above it (their tracing does not matter to a constant), and each input as the rule sees it at that level —
    /// its batch, or itself when it is not batched there. Null when no input is batched: the op reads the values as usual.
    /// </summary>
    public static Level? ForValues<T>(Tensor<T>[] inputs, out Batched<T>[] batched) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Level? level = null;
        var found = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            for (var tensor = inputs[i].Live; tensor.Node is not null; tensor = tensor.Primal!.Live)
                if (tensor.Node.Level.IsBatching)
                {
                    found[i] = tensor;
                    if (level is null || tensor.Node.Level.Id > level.Id) level = tensor.Node.Level;
                    break;
                }
        }
        batched = new Batched<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            batched[i] = found[i] is { } tensor && tensor.Node!.Level == level
                ? new Batched<T>(tensor.Primal!, tensor.Node.BatchAxis)
                : new Batched<T>(inputs[i], -1);
        return level;
    }

    /// <summary>
    /// Throws when <paramref name="x"/> is batched at a live level: <paramref name="operation"/> returns or depends on
    /// something other than a tensor (indices, a count), which a batched tensor cannot give for all its examples at once.
    /// </summary>
    public static void RequireUnbatched<T>(Tensor<T> x, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ForValues([x], out _) is not null)
            throw new InvalidOperationException(
                $"{operation}: its result is not a tensor, so it cannot be computed for a batched tensor inside Grad.Vmap; call it outside Vmap on the batch.");
    }
}
