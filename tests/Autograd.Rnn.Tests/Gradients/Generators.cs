using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>Shape and tensor generators shared by every property test.</summary>
public static class Generators
{
    /// <summary>One dimension: 1..6, as the gradient properties require.</summary>
    public static Gen<int> Dimension { get; } = Gen.Choose(1, 6);

    /// <summary>Dimensions of the given rank, each 1..6.</summary>
    public static Gen<int[]> Dims(int rank) => Gen.ArrayOf(Dimension, rank);

    /// <summary>Dimensions of rank 0..maxRank.</summary>
    public static Gen<int[]> AnyDims(int maxRank = 3) => Gen.Choose(0, maxRank).SelectMany(Dims);

    /// <summary>
    /// A pair of shapes that broadcast together: the second is the first with some dimensions set to 1 and some
    /// leading ones dropped, in either order.
    /// </summary>
    public static Gen<int[][]> BroadcastPair(int maxRank = 3) =>
        from full in AnyDims(maxRank)
        from mask in Gen.ArrayOf(Gen.Elements(true, false), full.Length)
        from drop in Gen.Choose(0, full.Length)
        from swap in Gen.Elements(true, false)
        let reduced = full.Select((d, i) => mask[i] ? 1 : d).Skip(drop).ToArray()
        select swap ? new[] { reduced, full } : new[] { full, reduced };

    /// <summary>A seed for the values of the generated tensors.</summary>
    public static Gen<ulong> Seed { get; } = Gen.Choose(0, int.MaxValue).Select(s => (ulong)s);
}

/// <summary>Where an op's inputs are drawn from: its gradient is only defined (or only smooth) there.</summary>
public enum Domain
{
    /// <summary>Standard normal values.</summary>
    Any,

    /// <summary>Values in [0.5, 2]: logarithms, square roots, divisors.</summary>
    Positive,

    /// <summary>|x| in [0.2, 2] with random sign: away from kinks at 0 (abs, relu).</summary>
    AwayFromZero,

    /// <summary>Distinct values (spacing at least 0.1): max and sort-like ops have no ties.</summary>
    Distinct,
}

/// <summary>Draws tensor values for a domain, deterministically from a seed.</summary>
public static class Values
{
    public static Tensor<double> Draw(int[] shape, Domain domain, ulong seed)
    {
        var normal = Tensor.RandomNormal<double>(shape, seed).ToArray();
        var uniform = Tensor.RandomUniform<double>(shape, seed + 7919).ToArray();
        double[] values = domain switch
        {
            Domain.Any => normal,
            Domain.Positive => uniform.Select(u => 0.5 + 1.5 * u).ToArray(),
            Domain.AwayFromZero => uniform.Select((u, i) => (normal[i] < 0 ? -1 : 1) * (0.2 + 1.8 * u)).ToArray(),
            Domain.Distinct => DistinctValues(uniform),
            _ => throw new ArgumentOutOfRangeException(nameof(domain)),
        };
        return shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
    }

    // A random permutation of 0.1·k (k = 0..n-1), shifted: ties are impossible and gaps are wide enough for h = 1e-6.
    private static double[] DistinctValues(double[] uniform)
    {
        var order = Enumerable.Range(0, uniform.Length).OrderBy(i => uniform[i]).ToArray();
        var values = new double[uniform.Length];
        for (int rank = 0; rank < order.Length; rank++) values[order[rank]] = 0.1 * rank - 0.05 * order.Length;
        return values;
    }
}
