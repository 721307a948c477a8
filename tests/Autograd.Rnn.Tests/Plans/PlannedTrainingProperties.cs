using Autograd.Rnn.TestSupport;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Training with plans: under one Grad level, Scan runs the unroll as one planned op. Its values are the eager bits (the
/// forward plan runs the same kernels on the same elements); its gradients sum the same terms in another order (the
/// parameters' per-step cotangents are added step by step, not accumulated inside one GEMM), so they agree with the
/// eager ones to a bound: 1e-12 of each gradient's largest magnitude in double, 1e-4 in float. The same holds with
/// lengths (the unroll masks padded steps between replays) and with an afterStep hook (each step is one planned op and
/// the hook runs eagerly between them).
/// </summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class PlannedTrainingProperties
{
    public static readonly string[] CellNames =
        ["RNN tanh", "RNN relu", "LSTM", "GRU", "GRU Cho", "minimal gated (user cell)", "layer-norm LSTM (user cell)"];

    internal static Cell<T> CellNamed<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "RNN tanh" => Cells.Rnn<T>(),
        "RNN relu" => Cells.Rnn<T>(Nonlinearity.Relu),
        "LSTM" => Cells.Lstm<T>(),
        "GRU" => Cells.Gru<T>(),
        "GRU Cho" => Cells.Gru<T>(GruVariant.Cho),
        "layer-norm LSTM (user cell)" => LayerNormLstm<T>(),
        _ => Cell.FromFunction<T>("minimal gated", (p, h, x) =>
            {
                var f = Tensor.Sigmoid(x.MatMul(p["w_f"]) + h.MatMul(p["u_f"]) + p["b_f"]);
                var candidate = Tensor.Tanh(x.MatMul(p["w_h"]) + (f * h).MatMul(p["u_h"]));
                return (Tensor.OnesLike(f) - f) * h + f * candidate;
            },
            (input, hidden, seed) => Params<T>.Empty
                .Add("w_f", Tensor.RandomNormal<T>([input, hidden], seed, 0, 0.3)).Add("u_f", Tensor.RandomNormal<T>([hidden, hidden], seed + 1, 0, 0.3))
                .Add("b_f", Tensor.RandomNormal<T>([hidden], seed + 2)).Add("w_h", Tensor.RandomNormal<T>([input, hidden], seed + 3, 0, 0.3))
                .Add("u_h", Tensor.RandomNormal<T>([hidden, hidden], seed + 4, 0, 0.3))),
    };

    /// <summary>
    /// An LSTM with layer normalisation of both gate pre-activations and of the cell (Ba et al. 2016): the row means and
    /// variances broadcast back as columns, which plans fuse, and whose sums plans write into their own buffers.
    /// </summary>
    internal static Cell<T> LayerNormLstm<T>() where T : unmanaged, IFloatingPointIeee754<T> => new("layer-norm LSTM", (p, state, x) =>
        {
            var (h, c) = (state[0], state[1]);
            var gates = Tensor.Chunk(Tensor.LayerNorm(x.MatMul(p["w"]), p["ln_x_weight"], p["ln_x_bias"])
                + Tensor.LayerNorm(h.MatMul(p["u"]), p["ln_h_weight"], p["ln_h_bias"]), 4, axis: 1);
            var cell = Tensor.Sigmoid(gates[1]) * c + Tensor.Sigmoid(gates[0]) * Tensor.Tanh(gates[2]);
            return RecurrentState<T>.Of(Tensor.Sigmoid(gates[3]) * Tensor.Tanh(Tensor.LayerNorm(cell, p["ln_c_weight"], p["ln_c_bias"])), cell);
        },
        (input, hidden, seed) => Params<T>.Empty
            .Add("w", Tensor.RandomNormal<T>([input, 4 * hidden], seed, 0, 0.3)).Add("u", Tensor.RandomNormal<T>([hidden, 4 * hidden], seed + 1, 0, 0.3))
            .Add("ln_x_weight", Tensor.RandomNormal<T>([4 * hidden], seed + 2, 1, 0.2)).Add("ln_x_bias", Tensor.RandomNormal<T>([4 * hidden], seed + 3, 0, 0.2))
            .Add("ln_h_weight", Tensor.RandomNormal<T>([4 * hidden], seed + 4, 1, 0.2)).Add("ln_h_bias", Tensor.RandomNormal<T>([4 * hidden], seed + 5, 0, 0.2))
            .Add("ln_c_weight", Tensor.RandomNormal<T>([hidden], seed + 6, 1, 0.2)).Add("ln_c_bias", Tensor.RandomNormal<T>([hidden], seed + 7, 0, 0.2)),
        stateParts: 2);

    /// <param name="Lengths">Sequence lengths (one per batch element, 1..steps), or null for full sequences.</param>
    /// <param name="Hook">Whether an afterStep hook scales the state and adds a traced per-step perturbation to h_t.</param>
    public sealed record Case(string Cell, int Batch, int Steps, int Input, int Hidden, bool Reverse, ulong Seed,
        int[]? Lengths = null, bool Hook = false)
    {
        public static readonly Gen<Case> Generator =
            from cell in Gen.Elements(CellNames)
            from batch in Gen.Choose(1, 4)
            from steps in Gen.Choose(1, 7)
            from input in Gen.Choose(1, 5)
            from hidden in Gen.Choose(1, 6)
            from reverse in Gen.Elements(false, true)
            from seed in Gen.Choose(0, 10_000)
            select new Case(cell, batch, steps, input, hidden, reverse, (ulong)seed);

        /// <summary>Random lengths, at least one of them shorter than the sequence when it has more than one step.</summary>
        public static readonly Gen<Case> WithLengths =
            from c in Generator
            from lengths in Gen.ArrayOf(Gen.Choose(1, c.Steps), c.Batch)
            from shortest in Gen.Choose(0, c.Batch - 1)
            select c with { Lengths = lengths.Select((l, b) => b == shortest ? Math.Min(l, Math.Max(1, c.Steps - 1)) : l).ToArray() };

        /// <summary>A hook, with lengths half of the time.</summary>
        public static readonly Gen<Case> WithHook =
            from c in Gen.OneOf(Generator, WithLengths)
            select c with { Hook = true };

        public override string ToString() =>
            $"{Cell}, batch {Batch}, steps {Steps}, input {Input}, hidden {Hidden}, reverse {Reverse}, seed {Seed}, "
            + $"lengths {(Lengths is null ? "none" : "[" + string.Join(",", Lengths) + "]")}, hook {Hook}";
    }

    /// <summary>
    /// The loss reads every kind of result: the outputs (weighted), every part of the final state, and one step's state.
    /// Gradients are taken with respect to the parameters, the initial state and the inputs together.
    /// </summary>
    private static (Tensor<T> Loss, Params<T> Gradients, bool Planned) Train<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cell = CellNamed<T>(c.Cell);
        var all = cell.Initialize(c.Input, c.Hidden, c.Seed)
            .Add("x", Tensor.RandomNormal<T>([c.Steps, c.Batch, c.Input], c.Seed + 10));
        for (int p = 0; p < cell.StateParts; p++)
            all = all.Add($"state{p}", Tensor.RandomNormal<T>([c.Batch, c.Hidden], c.Seed + 20 + (ulong)p, 0, 0.5));
        if (c.Hook) all = all.Add("perturbation", Tensor.RandomNormal<T>([c.Steps, c.Batch, c.Hidden], c.Seed + 40, 0, 0.1));
        var weights = Tensor.RandomNormal<T>([c.Steps, c.Batch, c.Hidden], c.Seed + 30);
        bool planned = false;
        var result = Grad.ValueAndGrad(q =>
        {
            var parameters = Params<T>.Empty;
            foreach (var name in q.Names)
                if (name is not ("x" or "perturbation") && !name.StartsWith("state", StringComparison.Ordinal)) parameters = parameters.Add(name, q[name]);
            var initial = RecurrentState<T>.Of(Enumerable.Range(0, cell.StateParts).Select(p => q[$"state{p}"]).ToArray());
            Func<int, RecurrentState<T>, RecurrentState<T>>? hook = null;
            if (c.Hook)
            {
                var perturbation = Tensor.Unstack(q["perturbation"], 0);
                var decay = T.CreateTruncating(0.9);
                hook = (t, s) => RecurrentState<T>.Of([s.Hidden * decay + perturbation[t], .. s.Skip(1).Select(part => part * decay)]);
            }
            var run = Recurrence.Scan(cell, parameters, initial, q["x"], c.Lengths, c.Reverse, hook);
            planned = c.Hook ? PlannedSteps(run.Outputs) == c.Steps : IsPlanned(run);
            var loss = (run.Outputs * weights).Sum() + run.StepStates[c.Steps / 2].Hidden.Sum();
            foreach (var part in run.FinalState) loss = loss + (part * part).Sum();
            return loss;
        }, all);
        return (result.Value, result.Gradients, planned);
    }

    /// <summary>Whether the unroll ran as one planned op: its final state is a slice of the planned op's result.</summary>
    internal static bool IsPlanned<T>(ScanResult<T> run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var node = run.FinalState.Hidden.Node;
        for (int depth = 0; depth < 3 && node is not null; depth++)
        {
            if (node.Operation == "Scan (planned)") return true;
            node = node.Inputs.Length > 0 ? node.Inputs[0]?.Node : null;
        }
        return false;
    }

    /// <summary>How many planned step ops (one per step under a hook) the graph of <paramref name="root"/> holds.</summary>
    internal static int PlannedSteps<T>(Tensor<T> root) where T : unmanaged, IFloatingPointIeee754<T> => OpCount(root, "Scan step (planned)");

    /// <summary>How many nodes named <paramref name="operation"/> the graph of <paramref name="root"/> holds.</summary>
    internal static int OpCount<T>(Tensor<T> root, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>([root]);
        int count = 0;
        while (stack.Count > 0)
        {
            var node = stack.Pop().Node;
            if (node is null || !seen.Add(node)) continue;
            if (node.Operation == operation) count++;
            foreach (var input in node.Inputs) if (input is not null) stack.Push(input);
        }
        return count;
    }

    private static Property Agrees<T>(Case c, double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (plannedLoss, planned, wasPlanned) = Train<T>(c);
        Tensor<T> eagerLoss;
        Params<T> eager;
        bool eagerPlanned;
        using (Compile.Eagerly()) (eagerLoss, eager, eagerPlanned) = Train<T>(c);
        var failures = new List<string>();
        if (!wasPlanned) failures.Add("the unroll was not planned");
        if (eagerPlanned) failures.Add("the unroll was planned inside Compile.Eagerly");
        if (!Bits.Same(plannedLoss, eagerLoss)) failures.Add($"loss {plannedLoss} vs {eagerLoss}");
        if (typeof(T) == typeof(double)) AddGradientFailures(planned, eager, bound, failures);
        else
        {
            Params<double> exact;
            using (Compile.Eagerly()) exact = Train<double>(c).Gradients;
            AddAccuracyFailures(planned, eager, exact, bound, failures);
        }
        return (failures.Count == 0).Label(c + "\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// The bound a float gradient is held to: as accurate as the eager float gradient. Against the eager gradient in double
    /// (<paramref name="exact"/>), each parameter's largest error is at most 4 times the eager float gradient's largest error
    /// plus <paramref name="bound"/> times the gradient's largest magnitude. Summing in another order moves a float result by
    /// a few units in the last place of its terms, and an ill-conditioned step (a layer norm over values with a variance
    /// near its epsilon) magnifies those units in both paths alike, so a fixed relative bound either fails there or is
    /// too loose everywhere else.
    /// </summary>
    internal static void AddAccuracyFailures<T>(Params<T> planned, Params<T> eager, Params<double> exact, double bound,
        List<string> failures) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var name in exact.Names)
        {
            var (a, b, truth) = (planned[name].ToArray(), eager[name].ToArray(), exact[name].ToArray());
            double scale = 0, plannedError = 0, eagerError = 0;
            for (int i = 0; i < truth.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(truth[i]));
                plannedError = Math.Max(plannedError, Math.Abs(double.CreateTruncating(a[i]) - truth[i]));
                eagerError = Math.Max(eagerError, Math.Abs(double.CreateTruncating(b[i]) - truth[i]));
            }
            if (!(plannedError <= 4 * eagerError + bound * scale))
                failures.Add($"{name}: largest error {plannedError:G3} against the eager float gradient's {eagerError:G3}, largest magnitude {scale:G3}");
        }
    }

    /// <summary>
    /// The bound every planned gradient is held to: for each parameter, the largest difference from the eager gradient is
    /// at most <paramref name="bound"/> times that gradient's largest magnitude, plus 16 units of rounding at 1 (the
    /// cases' values and weights are of order one, so a gradient that is a small difference of such terms — an input
    /// width of 1 under a layer norm gives ~1e-4 — carries their rounding, which another summation order moves by a few
    /// units). Adds one line per parameter that misses it.
    /// </summary>
    internal static void AddGradientFailures<T>(Params<T> planned, Params<T> eager, double bound, List<string> failures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var name in eager.Names)
        {
            var a = planned[name].ToArray();
            var b = eager[name].ToArray();
            double scale = 0, error = 0;
            for (int i = 0; i < b.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(double.CreateTruncating(b[i])));
                error = Math.Max(error, Math.Abs(double.CreateTruncating(a[i]) - double.CreateTruncating(b[i])));
            }
            double floor = 16 * double.CreateTruncating(T.BitIncrement(T.One) - T.One);
            if (!(error <= bound * scale + floor)) failures.Add($"{name}: largest difference {error:G3} against largest magnitude {scale:G3}");
        }
    }

    [Fact]
    public void Planned_training_gives_the_eager_loss_and_gradients_in_double() =>
        Prop.ForAll(Case.Generator.ToArbitrary(), c => Agrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Planned_training_gives_the_eager_loss_and_gradients_in_float() =>
        Prop.ForAll(Case.Generator.ToArbitrary(), c => Agrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact]
    public void Planned_training_with_lengths_gives_the_eager_loss_and_gradients_in_double() =>
        Prop.ForAll(Case.WithLengths.ToArbitrary(), c => Agrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Planned_training_with_lengths_gives_the_eager_loss_and_gradients_in_float() =>
        Prop.ForAll(Case.WithLengths.ToArbitrary(), c => Agrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact]
    public void Planned_training_with_a_hook_gives_the_eager_loss_and_gradients_in_double() =>
        Prop.ForAll(Case.WithHook.ToArbitrary(), c => Agrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Planned_training_with_a_hook_gives_the_eager_loss_and_gradients_in_float() =>
        Prop.ForAll(Case.WithHook.ToArbitrary(), c => Agrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Theory]
    [InlineData(3, 4, 5, 6)]
    [InlineData(32, 3, 8, 40)] // gate regions of several blocks, rows of the cell's normalisation shorter than one
    [InlineData(64, 2, 8, 256)] // gate regions past FusedRegion.ParallelThreshold, rows of 1,024 gates: one block each
    [InlineData(2, 3, 4, 700)] // rows of 2,800 gates: a row's mean broadcast across block boundaries
    public void Planned_training_of_a_layer_norm_lstm_gives_the_eager_loss_and_gradients(int batch, int steps, int input, int hidden)
    {
        var c = new Case("layer-norm LSTM (user cell)", batch, steps, input, hidden, Reverse: false, Seed: 7);
        Prop.ForAll(Gen.Constant(c).ToArbitrary(), c => Agrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(1));
        Prop.ForAll(Gen.Constant(c).ToArbitrary(), c => Agrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(1));
    }

    [Fact]
    public void Scan_is_planned_under_one_grad_level_and_eager_under_enclosing_levels_or_eager_scopes()
    {
        var cell = Cells.Lstm<double>();
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<double>([5, 2, 3], 2);
        var state = cell.ZeroState(2, 4);
        bool Planned(Func<Params<double>, ScanResult<double>> scan)
        {
            bool planned = false;
            Grad.Gradient(p =>
            {
                var run = scan(p);
                planned = IsPlanned(run);
                return run.Outputs.Sum();
            }, parameters);
            return planned;
        }

        Assert.True(Planned(p => Recurrence.Scan(cell, p, state, inputs)));
        Assert.True(Planned(p => Recurrence.Scan(cell, p, state, inputs, reverse: true)));
        Assert.True(Planned(p => Recurrence.Scan(cell, p, state, inputs, lengths: [5, 3])));
        Assert.True(Planned(p => Recurrence.Scan(cell, p, state, inputs, lengths: [2, 4], reverse: true)));
        // With a hook every step is its own planned op, not the one unroll op.
        Assert.False(Planned(p => Recurrence.Scan(cell, p, state, inputs, afterStep: (_, s) => s)));
        int plannedSteps = 0;
        Grad.Gradient(p =>
        {
            var run = Recurrence.Scan(cell, p, state, inputs, lengths: [5, 3], afterStep: (_, s) => s);
            plannedSteps = PlannedSteps(run.Outputs);
            return run.Outputs.Sum();
        }, parameters);
        Assert.Equal(5, plannedSteps);
        using (Compile.Eagerly()) Assert.False(Planned(p => Recurrence.Scan(cell, p, state, inputs)));

        // An enclosing level (here: the scale of the inputs is differentiated too) keeps the unroll eager, so gradients of
        // gradients see every op.
        bool nestedPlanned = true;
        var scale = Tensor.Scalar(1.5);
        var outer = Grad.Gradient(s => Grad.Gradient(p =>
        {
            var run = Recurrence.Scan(cell, p, state, inputs * s);
            nestedPlanned = IsPlanned(run);
            return run.Outputs.Sum();
        }, parameters)["weight_hh"].Sum(), scale);
        Assert.False(nestedPlanned);
        Assert.True(outer.Size == 1);
    }

    [Fact]
    public void A_planned_training_step_allocates_per_time_step_little_more_than_the_arrays_that_grow_with_the_sequence()
    {
        // LSTM, batch 2, input 3, hidden 4, float. What grows with the sequence per step: the two state parts and five saved
        // values (7 × 8 floats), the projected input, its bias sum and cotangent (3 × 32), the input's cotangent (6) and the
        // outputs' cotangent with its zero-padded join (24): about 180 floats, 0.7 KB, plus a few views of the slabs. The
        // unroll used to allocate 8.8 KB per step (per-step arrays, traced slices, a Concat of the step inputs' cotangents).
        var layer = RecurrentLayer.Lstm<float>(3, 4);
        var parameters = layer.Initialize(seed: 1);
        long Allocated(int steps)
        {
            var p = parameters.Add("input", Tensor.RandomNormal<float>([steps, 2, 3], 2));
            GradientResult<float> Step() => Grad.ValueAndGrad(q => Tensor.Mean(layer.Apply(q, q["input"]).Output), p);
            Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long perStep = 0;
        FreshThread.Run(() => perStep = (Allocated(80) - Allocated(40)) / 40);
        Assert.True(perStep <= 1536, $"{perStep} bytes per time step");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_states_of_a_planned_unroll_are_the_eager_states_bit_for_bit(bool reverse)
    {
        var cell = Cells.Lstm<float>();
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<float>([6, 2, 3], 2);
        var state = cell.ZeroState(2, 4);
        ScanResult<float> eager;
        using (Compile.Eagerly()) eager = Recurrence.Scan(cell, parameters, state, inputs, reverse: reverse);
        Grad.Gradient(p =>
        {
            var run = Recurrence.Scan(cell, p, state, inputs, reverse: reverse);
            Assert.True(IsPlanned(run));
            Assert.Equal(6, run.StepStates.Count);
            int t = 0;
            foreach (var step in run.StepStates)
            {
                for (int part = 0; part < 2; part++) Assert.True(Bits.Same(step[part], eager.StepStates[t][part]), $"step {t} part {part}");
                t++;
            }
            Assert.Same(run.FinalState, run.StepStates[reverse ? 0 : 5]);
            Assert.True(Bits.Same(run.Outputs, eager.Outputs));
            return run.Outputs.Sum();
        }, parameters);
    }

    [Fact]
    public void A_relu_gradient_mask_is_an_op_of_the_plan_so_a_compiled_gradient_replays_with_the_eager_bits()
    {
        var compiled = new CompiledFunction<double>(v => [Grad.Gradient(y => (Tensor.Relu(y) * y).Sum(), v[0])]);
        for (ulong call = 0; call < 3; call++)
        {
            var x = Tensor.RandomNormal<double>([3, 5], 40 + call);
            var planned = compiled.Invoke([x])[0];
            Tensor<double> eager;
            using (Compile.Eagerly()) eager = Grad.Gradient(y => (Tensor.Relu(y) * y).Sum(), x);
            Assert.True(Bits.Same(planned, eager), $"call {call}");
        }
        Assert.Null(compiled.LastReason);
        Assert.Equal(1, compiled.Recordings);
    }
}
