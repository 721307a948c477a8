using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The cotangents of all of a planned op's inputs, computed together by one run of its backward plan on the first request
/// for an output cotangent; the backward pass then asks for them input by input. Kept per sweep as well as per output
/// cotangent: a reverse-mode Jacobian runs one sweep per row over the same graph, and what a run hands out may be that
/// sweep's scratch (<see cref="SweepScratch"/>) or may have been added into per-sweep sums.
/// </summary>
/// <param name="what">The op, for the error a traced cotangent raises (e.g. "Scan: the planned unroll").</param>
/// <param name="compute">One backward run: the output cotangent to every input's cotangent (null where never asked for).</param>
internal sealed class CotangentsOnce<T>(string what, Func<Tensor<T>, Tensor<T>?[]> compute) where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? lastCotangent;
    private long lastSweep;
    private Tensor<T>?[]? cotangents;

    /// <summary>Input <paramref name="inputIndex"/>'s cotangent for the output cotangent <paramref name="g"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="g"/> is traced: the op's VJP runs kernels and is not differentiable again.</exception>
    public Tensor<T>? For(Tensor<T> g, int inputIndex)
    {
        if (!ReferenceEquals(g, lastCotangent) || lastSweep != SweepScratch.CurrentId)
        {
            if (g.IsTraced)
                throw new InvalidOperationException($"{what}'s VJP was asked for a traced cotangent; it is not differentiable again.");
            cotangents = compute(g);
            lastCotangent = g;
            lastSweep = SweepScratch.CurrentId;
        }
        return cotangents![inputIndex];
    }
}
