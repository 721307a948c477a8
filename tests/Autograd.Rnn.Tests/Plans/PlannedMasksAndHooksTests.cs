using Autograd.Rnn.TestSupport;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Lengths and afterStep hooks keep Scan on its plans: inference replays the step plan and masks or hooks between
/// replays; training runs one planned unroll op with lengths and one planned op per step with a hook. Values are the eager
/// bits; gradients agree with the eager ones within PlannedTrainingProperties' bounds (1e-12 of the largest magnitude in
/// double, 1e-4 in float). That the plans really ran is seen from the graph's op names, and from how often the cell's
/// own function is called: once per recording, where eager execution calls it on every step.
/// </summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class PlannedMasksAndHooksTests
{
    /// <summary>A tanh RNN cell as a user function that counts its calls.</summary>
    private static Cell<T> Counting<T>(Action called) where T : unmanaged, IFloatingPointIeee754<T> =>
        Cell.FromFunction<T>("counting", (p, h, x) =>
            {
                called();
                return Tensor.Tanh(x.MatMul(p["w"]) + h.MatMul(p["u"]) + p["b"]);
            },
            (input, hidden, seed) => Params<T>.Empty.Add("w", Tensor.RandomNormal<T>([input, hidden], seed, 0, 0.5))
                .Add("u", Tensor.RandomNormal<T>([hidden, hidden], seed + 1, 0, 0.5)).Add("b", Tensor.RandomNormal<T>([hidden], seed + 2)));

    [Fact]
    public void Inference_with_lengths_and_a_hook_replays_the_step_plan_with_the_eager_bits()
    {
        int calls = 0;
        var cell = Counting<float>(() => calls++);
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<float>([6, 3, 3], 2);
        int[] lengths = [6, 2, 4];
        ScanResult<float> Run(bool reverse) => Recurrence.Scan(cell, parameters, cell.ZeroState(3, 4), inputs, lengths, reverse,
            (t, s) => s.Map(h => h * (1f - 0.1f * t)));
        foreach (var reverse in new[] { false, true })
        {
            calls = 0;
            var planned = Run(reverse);
            Assert.Equal(1, calls); // recorded on the first step, replayed on the other five
            ScanResult<float> eager;
            using (Compile.Eagerly()) eager = Run(reverse);
            Assert.Equal(7, calls);
            Assert.True(Bits.Same(planned.Outputs, eager.Outputs), $"reverse {reverse}");
            for (int t = 0; t < 6; t++) Assert.True(Bits.Same(planned.StepStates[t].Hidden, eager.StepStates[t].Hidden), $"reverse {reverse}, step {t}");
        }
    }

    [Fact]
    public void Training_with_lengths_records_the_step_once_and_runs_one_planned_op()
    {
        int calls = 0;
        var cell = Counting<double>(() => calls++);
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<double>([6, 3, 3], 2);
        int unrolls = 0;
        Grad.Gradient(p =>
        {
            var run = Recurrence.Scan(cell, p, cell.ZeroState(3, 4), inputs, lengths: [6, 2, 4], reverse: true);
            unrolls = PlannedTrainingProperties.OpCount(run.Outputs, "Scan (planned)");
            return run.Outputs.Sum();
        }, parameters);
        Assert.Equal(1, unrolls);
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Non_finite_padding_reaches_no_value_and_no_gradient_of_a_planned_unroll(bool hook, bool reverse)
    {
        var cell = Cells.Lstm<double>();
        int[] lengths = [5, 2, 3];
        var clean = Tensor.RandomNormal<double>([5, 3, 2], 4).ToArray();
        var poisoned = (double[])clean.Clone();
        for (int t = 0; t < 5; t++)
            for (int b = 0; b < 3; b++)
                if (t >= lengths[b]) poisoned[(t * 3 + b) * 2] = t % 2 == 0 ? double.NaN : double.PositiveInfinity;
        (double Loss, Params<double> Gradients, string Ops) Train(double[] inputs)
        {
            var all = cell.Initialize(2, 3, 5).Add("x", Tensor.FromArray(inputs, 5, 3, 2));
            string ops = "";
            var result = Grad.ValueAndGrad(q =>
            {
                var run = Recurrence.Scan(cell, Params.Create(q.Where(kv => kv.Key != "x")), cell.ZeroState(3, 3), q["x"], lengths, reverse,
                    hook ? (_, s) => s.Map(part => part * 0.5) : null);
                var loss = Tensor.Sum(Tensor.Tanh(run.Outputs)) + Tensor.Sum(run.FinalState[1] * run.FinalState.Hidden);
                ops = $"{PlannedTrainingProperties.OpCount(loss, "Scan (planned)")} unroll, {PlannedTrainingProperties.PlannedSteps(loss)} steps";
                return loss;
            }, all);
            return (result.Value.Item, result.Gradients, ops);
        }

        var (cleanLoss, cleanGradients, ops) = Train(clean);
        var (dirtyLoss, dirtyGradients, _) = Train(poisoned);
        Assert.Equal(hook ? "0 unroll, 5 steps" : "1 unroll, 0 steps", ops);
        Assert.Equal(cleanLoss, dirtyLoss);
        foreach (var (name, gradient) in cleanGradients) Assert.Equal(gradient.ToArray(), dirtyGradients[name].ToArray());
    }

    public sealed record LayerCase(string Kind, int Layers, bool Bidirectional, int Steps, int Batch, int[] Lengths, ulong Seed)
    {
        public static readonly Gen<LayerCase> Generator =
            from kind in Gen.Elements("LSTM", "GRU", "RNN")
            from layers in Gen.Choose(1, 2)
            from bidirectional in Gen.Elements(false, true)
            from steps in Gen.Choose(1, 6)
            from batch in Gen.Choose(1, 4)
            from lengths in Gen.ArrayOf(Gen.Choose(1, steps), batch)
            from seed in Gen.Choose(0, 10_000)
            select new LayerCase(kind, layers, bidirectional, steps, batch, lengths, (ulong)seed);

        public override string ToString() =>
            $"{Kind}, {Layers} layers, bidirectional {Bidirectional}, steps {Steps}, batch {Batch}, lengths [{string.Join(",", Lengths)}], seed {Seed}";
    }

    private static (Tensor<T> Loss, Params<T> Gradients, int Unrolls) TrainLayer<T>(LayerCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int features = 3, hidden = 4;
        var options = new RecurrentLayerOptions { NumLayers = c.Layers, Bidirectional = c.Bidirectional };
        var layer = c.Kind switch
        {
            "LSTM" => RecurrentLayer.Lstm<T>(features, hidden, options),
            "GRU" => RecurrentLayer.Gru<T>(features, hidden, options),
            _ => RecurrentLayer.Rnn<T>(features, hidden, options),
        };
        var all = layer.Initialize(c.Seed).Add("input", Tensor.RandomNormal<T>([c.Steps, c.Batch, features], c.Seed + 1));
        int unrolls = 0;
        var result = Grad.ValueAndGrad(p =>
        {
            var run = layer.Apply(p, p["input"], c.Lengths);
            var loss = Tensor.Sum(Tensor.Tanh(run.Output)) + Tensor.Sum(run.LastLayerHidden * run.LastLayerHidden);
            unrolls = PlannedTrainingProperties.OpCount(loss, "Scan (planned)");
            return loss;
        }, all);
        return (result.Value, result.Gradients, unrolls);
    }

    private static Property LayerAgrees<T>(LayerCase c, double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (plannedLoss, planned, unrolls) = TrainLayer<T>(c);
        Tensor<T> eagerLoss;
        Params<T> eager;
        int eagerUnrolls;
        using (Compile.Eagerly()) (eagerLoss, eager, eagerUnrolls) = TrainLayer<T>(c);
        var failures = new List<string>();
        int expected = c.Layers * (c.Bidirectional ? 2 : 1);
        if (unrolls != expected) failures.Add($"{unrolls} planned unrolls, expected {expected}");
        if (eagerUnrolls != 0) failures.Add("planned inside Compile.Eagerly");
        if (!Bits.Same(plannedLoss, eagerLoss)) failures.Add($"loss {plannedLoss} vs {eagerLoss}");
        PlannedTrainingProperties.AddGradientFailures(planned, eager, bound, failures);
        return (failures.Count == 0).Label(c + "\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Stacked_bidirectional_layers_with_lengths_train_planned_with_the_eager_loss_and_gradients_in_double() =>
        Prop.ForAll(LayerCase.Generator.ToArbitrary(), c => LayerAgrees<double>(c, 1e-12)).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact]
    public void Stacked_bidirectional_layers_with_lengths_train_planned_with_the_eager_loss_and_gradients_in_float() =>
        Prop.ForAll(LayerCase.Generator.ToArbitrary(), c => LayerAgrees<float>(c, 1e-4)).Check(Config.QuickThrowOnFailure.WithMaxTest(30));

    /// <summary>
    /// GradientProbe adds a traced zero to h_t after every step, so its steps run as planned step ops: the loss keeps the
    /// eager bits, and each ‖∂loss/∂h_t‖ differs from the eager one by at most the gradients' bound times √(batch·hidden)
    /// (the norm of a vector whose elements each differ by at most the bound) of the largest norm.
    /// </summary>
    private static void ProbeAgrees<T>(string name, double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int steps = 7, batch = 3, input = 4, hidden = 5;
        var cell = PlannedTrainingProperties.CellNamed<T>(name);
        var parameters = cell.Initialize(input, hidden, 11);
        var state = RecurrentState<T>.Of(Enumerable.Range(0, cell.StateParts)
            .Select(p => Tensor.RandomNormal<T>([batch, hidden], 12 + (ulong)p, 0, 0.5)).ToArray());
        var inputs = Tensor.RandomNormal<T>([steps, batch, input], 13);
        var weights = Tensor.RandomNormal<T>([steps, batch, hidden], 14);
        Func<Tensor<T>, Tensor<T>> loss = outputs => (outputs * weights).Sum();
        var planned = GradientProbe.HiddenStateGradients(cell, parameters, state, inputs, loss);
        GradientProbeResult<T> eager;
        using (Compile.Eagerly()) eager = GradientProbe.HiddenStateGradients(cell, parameters, state, inputs, loss);
        Assert.Equal(eager.Loss, planned.Loss);
        double largest = eager.Norms.Max(), allowed = bound * Math.Sqrt(batch * hidden) * largest;
        for (int t = 0; t < steps; t++)
            Assert.True(Math.Abs(planned.Norms[t] - eager.Norms[t]) <= allowed,
                $"{name}, step {t}: {planned.Norms[t]:R} vs {eager.Norms[t]:R} (allowed {allowed:G3})");
    }

    [Theory]
    [MemberData(nameof(ProbeCells))]
    public void Gradient_probe_gives_the_eager_loss_and_norms_with_planned_steps_in_double(string name) => ProbeAgrees<double>(name, 1e-12);

    [Theory]
    [MemberData(nameof(ProbeCells))]
    public void Gradient_probe_gives_the_eager_loss_and_norms_with_planned_steps_in_float(string name) => ProbeAgrees<float>(name, 1e-4);

    public static TheoryData<string> ProbeCells() => new(PlannedTrainingProperties.CellNames);

    [Fact]
    public void Gradient_probe_records_the_step_twice_and_replays_the_rest()
    {
        int calls = 0;
        var cell = Counting<double>(() => calls++);
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<double>([8, 2, 3], 2);
        Func<Tensor<double>, Tensor<double>> loss = outputs => outputs.Narrow(0, 7, 1).Sum();
        var planned = GradientProbe.HiddenStateGradients(cell, parameters, cell.ZeroState(2, 4), inputs, loss);
        // Step 0 reads nothing traced (the inference plan is recorded); from step 1 the state carries the probe's
        // perturbation, and the step and its VJP are recorded once and replayed for steps 2..7.
        Assert.Equal(2, calls);
        calls = 0;
        GradientProbeResult<double> eager;
        using (Compile.Eagerly()) eager = GradientProbe.HiddenStateGradients(cell, parameters, cell.ZeroState(2, 4), inputs, loss);
        Assert.Equal(8, calls);
        Assert.Equal(eager.Loss, planned.Loss);
        for (int t = 0; t < 8; t++) Assert.Equal(eager.Norms[t], planned.Norms[t], 1e-12 * eager.Norms.Max());
    }
}
