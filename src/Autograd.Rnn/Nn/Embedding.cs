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
    /// <exception cref="ArgumentException">An index is outside [0, count), or the index shape does not hold the indices.</exception>
    public static Tensor<T> Apply<T>(Params<T> parameters, int[] indices, params int[] indexShape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(indices);
        var weight = parameters["weight"];
        var rows = Tensor.GatherRows(weight, indices);
        if (indexShape.Length == 0) return rows;
        if (new Shape(indexShape).Size != indices.Length)
            throw new ArgumentException($"Embedding: index shape [{string.Join(",", indexShape)}] does not hold {indices.Length} indices.");
        return rows.Reshape([.. indexShape, weight.Shape[1]]);
    }
}
