using Autograd.Rnn.TestSupport;
namespace Autograd.Rnn.Tests.Plans;

/// <summary>Recurrence.Scan replays a compiled step when nothing is traced; its results are the eager ones, bit for bit.</summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class PlannedScanTests
{
    public static TheoryData<string> CellNames() => ["RNN tanh", "RNN relu", "LSTM", "GRU", "GRU Cho", "peephole (user cell)"];

    private static Cell<float> CellNamed(string name) => name switch
    {
        "RNN tanh" => Cells.Rnn<float>(),
        "RNN relu" => Cells.Rnn<float>(Nonlinearity.Relu),
        "LSTM" => Cells.Lstm<float>(),
        "GRU" => Cells.Gru<float>(),
        "GRU Cho" => Cells.Gru<float>(GruVariant.Cho),
        _ => Cell.FromFunction<float>("minimal gated", (p, h, x) =>
            {
                var f = Tensor.Sigmoid(x.MatMul(p["w_f"]) + h.MatMul(p["u_f"]) + p["b_f"]);
                var candidate = Tensor.Tanh(x.MatMul(p["w_h"]) + (f * h).MatMul(p["u_h"]));
                return (1f - f) * h + f * candidate;
            },
            (input, hidden, seed) => Params<float>.Empty
                .Add("w_f", Tensor.RandomNormal<float>([input, hidden], seed, 0, 0.3)).Add("u_f", Tensor.RandomNormal<float>([hidden, hidden], seed + 1, 0, 0.3))
                .Add("b_f", Tensor.RandomNormal<float>([hidden], seed + 2)).Add("w_h", Tensor.RandomNormal<float>([input, hidden], seed + 3, 0, 0.3))
                .Add("u_h", Tensor.RandomNormal<float>([hidden, hidden], seed + 4, 0, 0.3))),
    };

    [Theory]
    [MemberData(nameof(CellNames))]
    public void Stacked_bidirectional_layers_with_lengths_give_the_eager_bits(string name)
    {
        var layer = new RecurrentLayer<float>(CellNamed(name), 5, 7, RecurrentLayerOptions.Default.WithNumLayers(2).WithBidirectional(true));
        var parameters = layer.Initialize(3);
        var input = Tensor.RandomNormal<float>([6, 4, 5], 4);
        int[] lengths = [6, 2, 5, 1];
        var planned = layer.Apply(parameters, input, lengths);
        RecurrentLayerResult<float> eager;
        using (Compile.Eagerly()) eager = layer.Apply(parameters, input, lengths);
        Assert.True(Bits.Same(planned.Output, eager.Output));
        for (int i = 0; i < eager.FinalStates.Count; i++)
            for (int part = 0; part < eager.FinalStates[i].Count; part++)
                Assert.True(Bits.Same(planned.FinalStates[i][part], eager.FinalStates[i][part]), $"state {i} part {part}");
    }

    [Fact]
    public void Scan_replays_a_plan_when_nothing_is_traced_and_runs_eagerly_under_grad_and_in_eager_scopes()
    {
        var cell = Cells.Lstm<float>();
        var parameters = cell.Initialize(3, 4, 1);
        var state = cell.ZeroState(2, 4);
        var x = Tensor.RandomNormal<float>([2, 16], 2);
        var step = StepPlan<float>.For(cell, parameters);
        step.Step(state, x);
        Assert.False(step.LastStepPlanned); // the first step records
        step.Step(state, x);
        Assert.True(step.LastStepPlanned);

        Grad.Gradient(p =>
        {
            var traced = StepPlan<float>.For(cell, p);
            traced.Step(state, x);
            var h = traced.Step(state, x).Hidden;
            Assert.False(traced.LastStepPlanned);
            return h.Sum();
        }, parameters);

        using (Compile.Eagerly())
        {
            var eager = StepPlan<float>.For(cell, parameters);
            eager.Step(state, x);
            eager.Step(state, x);
            Assert.False(eager.LastStepPlanned);
        }
    }

    [Fact]
    public void A_cell_that_reads_values_runs_eagerly_and_stays_right()
    {
        // Clips h by its own largest value: data-dependent control flow inside the step.
        var cell = Cell.FromFunction<float>("reads values", (p, h, x) =>
            {
                var next = Tensor.Tanh(x + h.MatMul(p["u"]));
                return next.Max().Item > 0.5f ? next * 0.5f : next;
            },
            (input, hidden, seed) => Params<float>.Empty.Add("u", Tensor.RandomNormal<float>([hidden, hidden], seed)));
        var parameters = cell.Initialize(3, 3, 5);
        var inputs = Tensor.RandomNormal<float>([8, 2, 3], 6);
        var planned = Recurrence.Scan(cell, parameters, cell.ZeroState(2, 3), inputs);
        ScanResult<float> eager;
        using (Compile.Eagerly()) eager = Recurrence.Scan(cell, parameters, cell.ZeroState(2, 3), inputs);
        Assert.True(Bits.Same(planned.Outputs, eager.Outputs));

        var step = StepPlan<float>.For(cell, parameters);
        var state = cell.ZeroState(2, 3);
        step.Step(state, inputs.Narrow(0, 0, 1).Reshape(2, 3));
        step.Step(state, inputs.Narrow(0, 1, 1).Reshape(2, 3));
        Assert.False(step.LastStepPlanned);
    }

    [Fact]
    public void After_step_hooks_see_every_state_with_plans_on()
    {
        var cell = Cells.Gru<float>();
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<float>([5, 2, 3], 2);
        var seen = new List<int>();
        var planned = Recurrence.Scan(cell, parameters, cell.ZeroState(2, 4), inputs, afterStep: (t, s) => { seen.Add(t); return s.Map(h => h * 0.9f); });
        ScanResult<float> eager;
        using (Compile.Eagerly())
            eager = Recurrence.Scan(cell, parameters, cell.ZeroState(2, 4), inputs, afterStep: (t, s) => s.Map(h => h * 0.9f));
        Assert.Equal([0, 1, 2, 3, 4], seen);
        Assert.True(Bits.Same(planned.Outputs, eager.Outputs));
    }
}
