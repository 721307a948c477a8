using System.Numerics;
using Autograd.Rnn.Kernels;
using Autograd.Rnn.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A planned unroll split by batch rows (<see cref="BatchSplit"/>) is the same op as the unsplit one: every value it
/// computes for a row (outputs, states, the cotangents of the initial state and of the inputs, and the weights' stacked
/// gradients, which are one product over all rows after the groups) has the unsplit bits, because each row meets the
/// same kernels on the same elements; only a parameter whose cotangent is summed step by step inside the unroll (a bias
/// added in the step) adds the groups' sums at the end, another order, held to the bounds the planned unroll is held to
/// against eager (1e-12 of the largest magnitude in double; in float, as accurate as the eager float gradient plus 1e-4).
/// The split is forced here (<see cref="BatchSplit.ForcedGroups"/>) so the tests do not depend on the processor count.
/// </summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class BatchSplitTests
{
    /// <param name="Groups">The forced number of row groups (at most one per row).</param>
    public sealed record Case(string Cell, int Batch, int Steps, int Input, int Hidden, bool Reverse, int Groups, ulong Seed,
        int[]? Lengths = null)
    {
        /// <summary>
        /// Groups of 4 to 8 rows (an automatic split never makes groups under 16). The products compute a row alike at any
        /// row count, but a value of fewer elements than one 128-bit vector (4 floats, 2 doubles: hidden size 1 and fewer
        /// than 4 rows) takes TensorPrimitives' scalar path, whose exp and tanh round differently from its vector path, so
        /// such a group would not give the unsplit bits.
        /// </summary>
        public static readonly Gen<Case> Generator =
            from cell in Gen.Elements(PlannedTrainingProperties.CellNames)
            from groups in Gen.Choose(2, 3)
            from rows in Gen.Choose(4, 8)
            from extra in Gen.Choose(0, groups - 1)
            from steps in Gen.Choose(1, 6)
            from input in Gen.Choose(1, 5)
            from hidden in Gen.Choose(1, 20)
            from reverse in Gen.Elements(false, true)
            from seed in Gen.Choose(0, 10_000)
            select new Case(cell, groups * rows + extra, steps, input, hidden, reverse, groups, (ulong)seed);

        /// <summary>Random lengths, the first row's shorter than the sequence when it has more than one step.</summary>
        public static readonly Gen<Case> WithLengths =
            from c in Generator
            from lengths in Gen.ArrayOf(Gen.Choose(1, c.Steps), c.Batch)
            select c with { Lengths = lengths.Select((l, b) => b == 0 ? Math.Min(l, Math.Max(1, c.Steps - 1)) : l).ToArray() };

        public override string ToString() =>
            $"{Cell}, batch {Batch}, steps {Steps}, input {Input}, hidden {Hidden}, reverse {Reverse}, groups {Groups}, seed {Seed}, "
            + $"lengths {(Lengths is null ? "none" : "[" + string.Join(",", Lengths) + "]")}";
    }

    /// <summary>What one training step gives: the outputs, the final state parts and the gradients (parameters, initial state, input).</summary>
    private sealed record Run<T>(Tensor<T> Outputs, Tensor<T>[] Final, Params<T> Gradients, bool Planned) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The loss reads the outputs (weighted), every final state part and one step's state.</summary>
    private static Run<T> Train<T>(Case c, int groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cell = PlannedTrainingProperties.CellNamed<T>(c.Cell);
        var all = cell.Initialize(c.Input, c.Hidden, c.Seed).Add("x", Tensor.RandomNormal<T>([c.Steps, c.Batch, c.Input], c.Seed + 10));
        for (int p = 0; p < cell.StateParts; p++)
            all = all.Add($"state{p}", Tensor.RandomNormal<T>([c.Batch, c.Hidden], c.Seed + 20 + (ulong)p, 0, 0.5));
        var weights = Tensor.RandomNormal<T>([c.Steps, c.Batch, c.Hidden], c.Seed + 30);
        Tensor<T> outputs = null!;
        Tensor<T>[] final = [];
        bool planned = false;
        var forced = BatchSplit.ForcedGroups;
        BatchSplit.ForcedGroups = groups;
        try
        {
            var result = Grad.ValueAndGrad(q =>
            {
                var parameters = Params<T>.Empty;
                foreach (var name in q.Names)
                    if (name != "x" && !name.StartsWith("state", StringComparison.Ordinal)) parameters = parameters.Add(name, q[name]);
                var initial = RecurrentState<T>.Of(Enumerable.Range(0, cell.StateParts).Select(p => q[$"state{p}"]).ToArray());
                var run = Recurrence.Scan(cell, parameters, initial, q["x"], c.Lengths, c.Reverse);
                planned = PlannedTrainingProperties.IsPlanned(run);
                outputs = run.Outputs;
                final = run.FinalState.ToArray();
                var loss = (run.Outputs * weights).Sum() + run.StepStates[c.Steps / 2].Hidden.Sum();
                foreach (var part in run.FinalState) loss = loss + (part * part).Sum();
                return loss;
            }, all);
            return new Run<T>(outputs, final, result.Gradients, planned);
        }
        finally
        {
            BatchSplit.ForcedGroups = forced;
        }
    }

    // The names whose gradients are rows of the unroll's results (the initial state and the inputs) or whole products over
    // all rows (the built-in LSTM's step reads only weight_hh, used once in a product; its biases are in the projection):
    // the same bits split or not. Only parameters summed step by step inside the unroll (a GRU's bias_hh, a user cell's
    // bias) may differ.
    private static bool RowExact(Case c, string name) =>
        name == "x" || name.StartsWith("state", StringComparison.Ordinal) || c.Cell == "LSTM";

    private static Property SplitAgrees<T>(Case c, double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var split = Train<T>(c, c.Groups);
        var again = Train<T>(c, c.Groups);
        var whole = Train<T>(c, 1);
        Params<T> eager;
        using (Compile.Eagerly()) eager = Train<T>(c, 1).Gradients;
        var failures = new List<string>();
        if (!split.Planned || !whole.Planned) failures.Add("the unroll was not planned");
        if (!Bits.Same(split.Outputs, whole.Outputs)) failures.Add("outputs differ from the unsplit unroll's bits");
        for (int p = 0; p < split.Final.Length; p++)
            if (!Bits.Same(split.Final[p], whole.Final[p])) failures.Add($"final state part {p} differs from the unsplit unroll's bits");
        foreach (var name in whole.Gradients.Names)
        {
            if (RowExact(c, name) && !Bits.Same(split.Gradients[name], whole.Gradients[name]))
                failures.Add($"{name}: gradient differs from the unsplit unroll's bits");
            if (!Bits.Same(split.Gradients[name], again.Gradients[name])) failures.Add($"{name}: two split runs differ");
        }
        if (typeof(T) == typeof(double)) PlannedTrainingProperties.AddGradientFailures(split.Gradients, eager, bound, failures);
        else
        {
            Params<double> exact;
            using (Compile.Eagerly()) exact = Train<double>(c, 1).Gradients;
            PlannedTrainingProperties.AddAccuracyFailures(split.Gradients, eager, exact, bound, failures);
        }
        return (failures.Count == 0).Label(c + "\n" + string.Join("\n", failures));
    }

    [Fact]
    public void A_split_unroll_gives_the_unsplit_values_and_the_eager_gradients_in_double() =>
        Prop.ForAll(Case.Generator.ToArbitrary(), c => SplitAgrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact]
    public void A_split_unroll_gives_the_unsplit_values_and_the_eager_gradients_in_float() =>
        Prop.ForAll(Case.Generator.ToArbitrary(), c => SplitAgrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(30));

    [Fact]
    public void A_split_unroll_with_lengths_gives_the_unsplit_values_and_the_eager_gradients_in_double() =>
        Prop.ForAll(Case.WithLengths.ToArbitrary(), c => SplitAgrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact]
    public void A_split_unroll_with_lengths_gives_the_unsplit_values_and_the_eager_gradients_in_float() =>
        Prop.ForAll(Case.WithLengths.ToArbitrary(), c => SplitAgrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(30));

    [Theory]
    [InlineData(48, 64, 2)] // rows of 24: the GEMM's full 8-row tiles, gate regions of several fused blocks
    [InlineData(37, 40, 3)] // groups of 13, 12 and 12 rows: short tiles, groups of different sizes (their own plans)
    [InlineData(64, 300, 2)] // gate regions of 38,400 per group against 76,800 (past FusedRegion.ParallelThreshold) unsplit
    public void A_split_unroll_at_training_sizes_gives_the_unsplit_values(int batch, int hidden, int groups)
    {
        var c = new Case("LSTM", batch, 5, 16, hidden, Reverse: false, groups, Seed: 3);
        Prop.ForAll(Gen.Constant(c).ToArbitrary(), c => SplitAgrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stacked_and_bidirectional_layers_split_give_the_unsplit_values_and_gradients(bool withLengths)
    {
        var layer = RecurrentLayer.Lstm<double>(5, 7, new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true });
        var parameters = layer.Initialize(seed: 4).Add("input", Tensor.RandomNormal<double>([6, 12, 5], seed: 5));
        int[]? lengths = withLengths ? [6, 3, 5, 6, 1, 6, 2, 6, 4, 6, 5, 1] : null;
        (Tensor<double> Output, Params<double> Gradients) Layer(int groups)
        {
            Tensor<double> output = null!;
            var forced = BatchSplit.ForcedGroups;
            BatchSplit.ForcedGroups = groups;
            try
            {
                var gradients = Grad.ValueAndGrad(p =>
                {
                    var result = layer.Apply(p, p["input"], lengths);
                    output = result.Output;
                    return (result.Output * result.Output).Sum() + result.FinalHidden.Sum();
                }, parameters).Gradients;
                return (output, gradients);
            }
            finally
            {
                BatchSplit.ForcedGroups = forced;
            }
        }
        var (split, whole) = (Layer(2), Layer(1));
        Params<double> eager;
        using (Compile.Eagerly()) eager = Layer(1).Gradients;
        Assert.True(Bits.Same(split.Output, whole.Output));
        Assert.True(Bits.Same(split.Gradients["input"], whole.Gradients["input"]));
        var failures = new List<string>();
        PlannedTrainingProperties.AddGradientFailures(split.Gradients, eager, 1e-12, failures);
        Assert.Empty(failures);
    }

    [Fact]
    public void A_group_that_throws_surfaces_its_exception_on_the_caller_once_no_group_is_running()
    {
        int running = 0;
        var thrown = Assert.Throws<InvalidOperationException>(() => BatchSplit.Run(3, group =>
        {
            Interlocked.Increment(ref running);
            try
            {
                if (group == 1) throw new InvalidOperationException("group 1 failed");
                Thread.Sleep(20);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }));
        Assert.Equal("group 1 failed", thrown.Message);
        Assert.Equal(0, Volatile.Read(ref running));
    }

    [Fact]
    public void Kernels_inside_a_group_run_serially_and_the_caller_is_left_as_it_was()
    {
        var seen = new bool[2];
        BatchSplit.Run(2, group => seen[group] = KernelThreads.Suppressed && !KernelThreads.ParallelAllowed);
        Assert.Equal([true, true], seen);
        Assert.False(KernelThreads.Suppressed);
        // A group does not split again: an unroll started inside one runs its rows on its own thread.
        var groups = new int[2];
        BatchSplit.Run(2, group => groups[group] = BatchSplit.Groups(1024));
        Assert.Equal([1, 1], groups);
    }

    [Fact]
    public void Groups_are_contiguous_rows_of_near_equal_size_and_only_split_batches_of_enough_rows()
    {
        Prop.ForAll(Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(1, 8).ToArbitrary(), (batch, groups) =>
        {
            groups = Math.Min(groups, batch);
            var rows = Enumerable.Range(0, groups).Select(g => BatchSplit.Rows(batch, groups, g)).ToArray();
            bool contiguous = Enumerable.Range(0, groups).All(g => BatchSplit.FirstRow(batch, groups, g) == rows.Take(g).Sum());
            return (contiguous && rows.Sum() == batch && rows.Max() - rows.Min() <= 1).Label($"batch {batch}, groups {groups}");
        }).Check(Config.QuickThrowOnFailure);
        for (int batch = 1; batch <= 200; batch++)
        {
            int groups = BatchSplit.Groups(batch);
            Assert.True(groups == 1 || batch / groups >= BatchSplit.MinRowsPerGroup, $"batch {batch}: {groups} groups");
            Assert.True(groups <= Math.Max(1, Environment.ProcessorCount));
        }
    }
}
