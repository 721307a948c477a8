namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// Sequences long enough that Scan projects the inputs in several blocks of steps and the backward sweep sums a
/// weight's per-step gradients in its accumulation buffer: the result must be the plain per-step unroll's, forward
/// and backward, and gradients of gradients must still see every operation.
/// </summary>
public class LongSequenceTests
{
    // 300 steps × batch 8 × 4·32 gates = 1,024 projected values per step: blocks of 256 steps, so three blocks.
    private const int Steps = 300, Batch = 8, Input = 5, Hidden = 32;

    // The reference: the raw cell step, which projects each step's input on its own, in a plain loop.
    private static Tensor<double> UnrolledByHand(Cell<double> cell, Params<double> p, Tensor<double> inputs)
    {
        var state = cell.ZeroState(Batch, Hidden);
        var outputs = new Tensor<double>[Steps];
        var steps = Tensor.Unstack(inputs, 0);
        for (int t = 0; t < Steps; t++)
        {
            state = cell.Step(p, state, steps[t]);
            outputs[t] = state.Hidden;
        }
        return Tensor.Stack(outputs, 0);
    }

    public static TheoryData<string> CellNames => new() { "LSTM", "GRU", "RNN" };

    private static Cell<double> Named(string name) => name switch
    {
        "LSTM" => Cells.Lstm<double>(),
        "GRU" => Cells.Gru<double>(),
        _ => Cells.Rnn<double>(),
    };

    [Theory]
    [MemberData(nameof(CellNames))]
    public void Blocked_projection_and_accumulated_weight_gradients_match_the_plain_unroll(string name)
    {
        var cell = Named(name);
        var inputs = Tensor.RandomNormal<double>([Steps, Batch, Input], seed: 3);
        var p = cell.Initialize(Input, Hidden, seed: 4).Add("input", inputs);
        var weights = Tensor.RandomNormal<double>([Steps, Batch, Hidden], seed: 5); // a loss that weighs every output
        Tensor<double> Loss(Params<double> q) => Tensor.Sum(Recurrence.Scan(cell, q, cell.ZeroState(Batch, Hidden), q["input"]).Outputs * weights);
        var scanned = Grad.ValueAndGrad(Loss, p);
        var byHand = Grad.ValueAndGrad(q => Tensor.Sum(UnrolledByHand(cell, q, q["input"]) * weights), p);

        Assert.True(scanned.Value.AllClose(byHand.Value, 1e-12, 1e-12), $"{name}: loss {scanned.Value.Item} vs {byHand.Value.Item}");
        foreach (var (key, gradient) in byHand.Gradients)
            Assert.True(scanned.Gradients[key].AllClose(gradient, 1e-10, 1e-12), $"{name}: gradient of {key} differs from the plain unroll");
        // Both of those run the same backward sweep, so also check it against finite differences (random directions).
        var check = GradCheck.Run(Loss, p);
        Assert.True(check.Passed, $"{name}: {check}");
    }

    [Fact]
    public void Second_derivatives_through_a_weight_used_at_every_step_agree_with_finite_differences()
    {
        // A Hessian-vector product of a 40-step RNN: the inner backward's weight gradient is traced, so it takes the
        // public-op path (stacked factors, one product), whose own backward the outer Grad then runs.
        var cell = Cells.Rnn<double>();
        var inputs = Tensor.RandomNormal<double>([40, 3, 2], seed: 6);
        var p = cell.Initialize(2, 4, seed: 7);
        var direction = p.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), seed: 8));
        Tensor<double> Loss(Params<double> q) => Tensor.Sum(Tensor.Tanh(Recurrence.Scan(cell, q, cell.ZeroState(3, 4), inputs).Outputs));
        Tensor<double> DirectionalDerivative(Params<double> q)
        {
            var g = Grad.Gradient(Loss, q);
            Tensor<double> sum = Tensor.Scalar(0.0);
            foreach (var (key, value) in g) sum += Tensor.Sum(value * direction[key]);
            return sum;
        }
        var check = GradCheck.Run(DirectionalDerivative, p);
        Assert.True(check.Passed, check.ToString());
    }
}
