using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Testing;

/// <summary>A batch of padded sequences: inputs [time, batch, features] and each sequence's length.</summary>
/// <param name="Inputs">[time, batch, features]; steps at or beyond a sequence's length hold the padding value.</param>
/// <param name="Lengths">One length per sequence, 1..time.</param>
public sealed record PaddedBatch<T>(Tensor<T> Inputs, IReadOnlyList<int> Lengths) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lengths as an array, as <c>Recurrence.Scan</c> and <see cref="RecurrentLayer{T}.Apply"/> take them.</summary>
    public int[] LengthArray => [.. Lengths];

    /// <summary>The shape and the lengths.</summary>
    public override string ToString() => $"inputs {Inputs.Shape}, lengths [{string.Join(",", Lengths)}]";
}

/// <summary>
/// FsCheck generators for testing recurrent cells: shapes within small bounds, a cell's parameters from its own
/// initialiser, padded batches. The cases <see cref="CellChecks"/> runs come from <see cref="Cases"/> and
/// <see cref="PaddedCases"/>; use them in your own properties with <c>Prop.ForAll(CellGenerators.CaseArbitrary(), …)</c>.
/// </summary>
public static class CellGenerators
{
    /// <summary>A seed for generated tensors: 0..2³¹−1.</summary>
    public static Gen<ulong> Seed { get; } = Gen.Choose(0, int.MaxValue).Select(s => (ulong)s);

    /// <summary>
    /// Cases with time 1..maxTime, batch 1..maxBatch, input 1..maxInput, hidden 1..maxHidden, lengths 1..time each
    /// (from <paramref name="options"/>, <see cref="CellCheckOptions.Default"/> when null).
    /// </summary>
    public static Gen<CellCase> Cases(CellCheckOptions? options = null)
    {
        options ??= CellCheckOptions.Default;
        return from time in Gen.Choose(1, options.MaxTime)
               from batch in Gen.Choose(1, options.MaxBatch)
               from input in Gen.Choose(1, options.MaxInput)
               from hidden in Gen.Choose(1, options.MaxHidden)
               from lengths in Gen.ArrayOf(Gen.Choose(1, time), batch)
               from seed in Seed
               select new CellCase(time, batch, input, hidden, lengths, seed);
    }

    /// <summary>
    /// Cases of at least 2 steps and 2 sequences where at least one sequence is padded and one is not (the bounds are
    /// raised to 2 where smaller).
    /// </summary>
    public static Gen<CellCase> PaddedCases(CellCheckOptions? options = null)
    {
        options ??= CellCheckOptions.Default;
        return from time in Gen.Choose(2, Math.Max(2, options.MaxTime))
               from batch in Gen.Choose(2, Math.Max(2, options.MaxBatch))
               from input in Gen.Choose(1, options.MaxInput)
               from hidden in Gen.Choose(1, options.MaxHidden)
               from shorter in Gen.Choose(1, time - 1)
               from rest in Gen.ArrayOf(Gen.Choose(1, time), batch - 2)
               from order in Gen.Shuffle(new[] { time, shorter }.Concat(rest).ToArray())
               from seed in Seed
               select new CellCase(time, batch, input, hidden, order, seed);
    }

    /// <summary><see cref="Cases"/> with a shrinker that makes every size smaller (lengths kept within the time).</summary>
    public static Arbitrary<CellCase> CaseArbitrary(CellCheckOptions? options = null) => Arb.From(Cases(options), Shrink);

    /// <summary><see cref="PaddedCases"/> with a shrinker that keeps at least one padded sequence.</summary>
    public static Arbitrary<CellCase> PaddedCaseArbitrary(CellCheckOptions? options = null) =>
        Arb.From(PaddedCases(options), c => Shrink(c).Where(s => s.HasPadding && s.Batch >= 2));

    /// <summary>
    /// Parameters for <paramref name="cell"/> with <paramref name="inputSize"/> inputs and <paramref name="hiddenSize"/>
    /// hidden units: the cell's own initialiser with a random seed, every tensor multiplied by <paramref name="scale"/>.
    /// </summary>
    public static Gen<Params<T>> Parameters<T>(Cell<T> cell, int inputSize, int hiddenSize, double scale = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Seed.Select(seed => CellCase.Scaled(cell.Initialize(inputSize, hiddenSize, seed), scale));
    }

    /// <summary>
    /// Padded batches: time 1..<paramref name="maxTime"/>, batch 1..<paramref name="maxBatch"/>, standard normal inputs
    /// with <paramref name="features"/> features and random lengths, every padded step filled with <paramref name="padding"/>
    /// (NaN by default, so that a padded value that reaches anything shows).
    /// </summary>
    public static Gen<PaddedBatch<T>> PaddedBatches<T>(int maxTime, int maxBatch, int features, double padding = double.NaN)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTime);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        return from time in Gen.Choose(1, maxTime)
               from batch in Gen.Choose(1, maxBatch)
               from lengths in Gen.ArrayOf(Gen.Choose(1, time), batch)
               from seed in Seed
               let c = new CellCase(time, batch, features, 1, lengths, seed)
               select new PaddedBatch<T>(c.Inputs<T>(padding), lengths);
    }

    /// <summary>
    /// <paramref name="count"/> cases from <paramref name="generator"/>, the same for the same <paramref name="seed"/>
    /// (what <see cref="CellChecks"/> runs).
    /// </summary>
    public static IReadOnlyList<CellCase> Sample(Gen<CellCase> generator, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return generator.Sample(count, new Rnd(seed, 0x9E3779B97F4A7C15UL), 10);
    }

    private static IEnumerable<CellCase> Shrink(CellCase c)
    {
        if (c.Time > 1) yield return c with { Time = c.Time - 1, Lengths = [.. c.Lengths.Select(l => Math.Min(l, c.Time - 1))] };
        if (c.Batch > 1) yield return c with { Batch = c.Batch - 1, Lengths = [.. c.Lengths.Take(c.Batch - 1)] };
        if (c.Input > 1) yield return c with { Input = c.Input - 1 };
        if (c.Hidden > 1) yield return c with { Hidden = c.Hidden - 1 };
    }
}
