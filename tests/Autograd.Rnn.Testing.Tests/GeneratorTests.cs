using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Testing.Tests;

/// <summary>The generators stay within their bounds, replay from their seed, and plug into FsCheck properties.</summary>
public class GeneratorTests
{
    [Fact]
    public void Cases_stay_within_the_bounds_and_lengths_within_the_time()
    {
        var options = CellCheckOptions.Default.WithBounds(maxTime: 3, maxBatch: 2, maxInput: 4, maxHidden: 2);
        foreach (var c in CellGenerators.Sample(CellGenerators.Cases(options), 50, seed: 7))
        {
            Assert.InRange(c.Time, 1, 3);
            Assert.InRange(c.Batch, 1, 2);
            Assert.InRange(c.Input, 1, 4);
            Assert.InRange(c.Hidden, 1, 2);
            Assert.Equal(c.Batch, c.Lengths.Count);
            Assert.All(c.Lengths, l => Assert.InRange(l, 1, c.Time));
        }
    }

    [Fact]
    public void Padded_cases_always_pad_one_sequence_and_keep_one_full()
    {
        foreach (var c in CellGenerators.Sample(CellGenerators.PaddedCases(), 50, seed: 3))
        {
            Assert.True(c.HasPadding);
            Assert.Contains(c.Time, c.Lengths);
            Assert.InRange(c.Batch, 2, CellCheckOptions.Default.MaxBatch);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_cases_and_the_same_tensors()
    {
        var first = CellGenerators.Sample(CellGenerators.Cases(), 5, seed: 11);
        var second = CellGenerators.Sample(CellGenerators.Cases(), 5, seed: 11);
        Assert.Equal(first.Select(c => c.ToString()), second.Select(c => c.ToString()));
        Assert.Equal(first[0].Inputs<double>().ToArray(), second[0].Inputs<double>().ToArray());
    }

    [Fact]
    public void Padded_inputs_hold_the_padding_value_exactly_at_padded_steps()
    {
        var c = new CellCase(3, 2, 2, 1, [3, 1], Seed: 5);
        var values = c.Inputs<double>(double.NaN).ToArray();
        for (int t = 0; t < 3; t++)
            for (int b = 0; b < 2; b++)
                for (int f = 0; f < 2; f++)
                    Assert.Equal(t >= c.Lengths[b], double.IsNaN(values[(t * 2 + b) * 2 + f]));
    }

    [Fact]
    public void Parameters_come_from_the_cells_initialiser_scaled()
    {
        var cell = Cells.Gru<double>();
        var c = new CellCase(2, 1, 3, 2, [2], Seed: 9);
        var plain = c.Parameters(cell);
        var scaled = c.Parameters(cell, scale: 2);
        Assert.Equal(cell.Initialize(3, 2, 9).Select(p => p.Key), plain.Select(p => p.Key));
        Assert.Equal(plain["weight_hh"].ToArray().Select(v => 2 * v), scaled["weight_hh"].ToArray());
        var generated = CellGenerators.Parameters(cell, 3, 2, scale: 0.5).Sample(10, 3);
        Assert.All(generated, p => Assert.Equal(new Shape(6, 2), p["weight_hh"].Shape));
    }

    [Fact]
    public void Padded_batches_have_NaN_exactly_beyond_each_length()
    {
        foreach (var batch in CellGenerators.PaddedBatches<float>(4, 3, 2).Sample(10, 20))
        {
            var values = batch.Inputs.ToArray();
            int batchSize = batch.Inputs.Shape[1];
            for (int i = 0; i < values.Length; i++)
                Assert.Equal(i / 2 / batchSize >= batch.Lengths[i / 2 % batchSize], float.IsNaN(values[i]));
        }
    }

    [Fact]
    public void The_per_case_checks_are_FsCheck_properties_that_shrink_a_failure()
    {
        var cell = TestCells.MguWithStopGradient<double>();
        var failure = Assert.ThrowsAny<Exception>(() =>
            Prop.ForAll(CellGenerators.CaseArbitrary(), c => CellChecks.Gradient(cell, c).Passed)
                .Check(Config.QuickThrowOnFailure.WithMaxTest(5).WithReplay(1UL, 1UL)));
        Assert.Contains("Falsifiable", failure.Message);
        Prop.ForAll(CellGenerators.PaddedCaseArbitrary(), c => CellChecks.Padding(TestCells.Mgu<double>(), c).Passed)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5));
    }
}
