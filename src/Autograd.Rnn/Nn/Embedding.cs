using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A lookup table of vectors, one row per token: PyTorch's <c>nn.Embedding</c> with parameter <c>weight</c> [count, dimension].
/// </summary>
public static class Embedding
{
    /// <summary>Parameter <c>weight</c> [count, dimension] drawn from N(0, 1), as PyTorch initialises it.</summary>
    public static Params<T> Init<T>(int count, int dimension, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        return Params<T>.Empty.Add("weight", Tensor.RandomNormal<T>([count, dimension], seed));
    }

    /// <summary>
    /// The rows of <c>weight</c> at <paramref name="indices"/>, shaped <paramref name="indexShape"/> + [dimension]
    /// (e.g. indices of a [time, batch] grid give [time, batch, dimension]). With no shape: [indices.Length, dimension].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, count); the message names it and its position.</exception>
    /// <exception cref="ArgumentException">The index shape does not hold the indices, or <c>weight</c> is not [count, dimension].</exception>
    public static Tensor<T> Apply<T>(Params<T> parameters, int[] indices, params int[] indexShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(indexShape);
        var weight = parameters["weight"];
        if (weight.Rank != 2)
            throw new ArgumentException($"Embedding: weight {weight.Shape} must be a table [count, dimension].");
        // Checked here, not left to the gather, so the error names this layer (and the bad index and its position).
        var checkedIndices = GatherRowsOp.CheckIndices(indices, weight.Shape[0], "Embedding");
        var shape = GatherRowsOp.IndexShape(checkedIndices, indexShape.Length == 0 ? [indices.Length] : indexShape, "Embedding");
        return GatherRowsOp.Apply(weight, checkedIndices, shape);
    }
}
