using System.Numerics;
using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A planned unroll keeps what its VJP reads in buffers that go back to a per-thread pool when the Grad call ends, and its
/// blocks' cotangents in buffers that go back when the sweep ends; the next training step writes them again. Reusing them
/// must never change a result, whatever the lengths and batches in between; a gradient handed to the caller never shares
/// a reused buffer; several sweeps over one level (a Jacobian) each get their own; a repeated step does not allocate them.
/// </summary>
public class LevelScratchTests
{
    private static GradientResult<T> TrainingStep<T>(RecurrentLayer<T> layer, Params<T> parameters, int steps, int batch, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Tensor.RandomNormal<T>([steps, batch, 3], seed);
        return Grad.ValueAndGrad(p => Tensor.Sum(Tensor.Tanh(layer.Apply(p, input).Output)), parameters);
    }

    private static void AssertSame(GradientResult<double> expected, GradientResult<double> actual, string what)
    {
        Assert.True(Bits.Same(expected.Value, actual.Value), $"{what}: value");
        foreach (var name in expected.Gradients.Names)
            Assert.True(Bits.Same(expected.Gradients[name], actual.Gradients[name]), $"{what}: {name}");
    }

    [Fact]
    public void Reused_buffers_give_the_eager_results_bit_identically_across_lengths_and_batches()
    {
        var layer = RecurrentLayer.Lstm<double>(3, 6, RecurrentLayerOptions.Default.WithBidirectional(true).WithNumLayers(2));
        var parameters = layer.Initialize(seed: 4);
        (int Steps, int Batch)[] configurations = [(7, 2), (30, 3), (16, 3), (5, 1), (30, 3), (7, 2)];
        // Each configuration's reference comes from a thread whose pool is empty, so its buffers are fresh; it matches
        // the eager result to the planned unroll's stated bound.
        var fresh = new Dictionary<(int, int), GradientResult<double>>();
        foreach (var configuration in configurations.Distinct())
        {
            FreshThread.Run(() => fresh[configuration] = TrainingStep(layer, parameters, configuration.Steps, configuration.Batch, 9));
            GradientResult<double> eager;
            using (Compile.Eagerly()) eager = TrainingStep(layer, parameters, configuration.Steps, configuration.Batch, 9);
            foreach (var name in eager.Gradients.Names)
                Assert.True(fresh[configuration].Gradients[name].AllClose(eager.Gradients[name], 1e-10, 1e-12), $"{configuration}: {name}");
        }
        foreach (var (steps, batch) in configurations)
            AssertSame(fresh[(steps, batch)], TrainingStep(layer, parameters, steps, batch, 9), $"T = {steps}, B = {batch}");
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_repeated_training_step_does_not_allocate_the_saved_values_again()
    {
        var layer = RecurrentLayer.Lstm<float>(3, 64);
        var parameters = layer.Initialize(seed: 1);
        const int batch = 16, longer = 100;
        // The LSTM step's VJP reads at least its four gates [batch, 4·hidden] at every step.
        long savedBytes = (long)longer * batch * 4 * 64 * sizeof(float);
        long firstLong = 0, repeatedLong = 0;
        FreshThread.Run(() =>
        {
            // Records and keeps the step's plans (they depend on the batch and widths, not on the length), and leaves buffers
            // for 40 steps in the pool: too short for 100.
            TrainingStep(layer, parameters, 40, batch, 2);
            long before = GC.GetAllocatedBytesForCurrentThread();
            TrainingStep(layer, parameters, longer, batch, 3);
            firstLong = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            TrainingStep(layer, parameters, longer, batch, 4);
            repeatedLong = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.True(repeatedLong + savedBytes <= firstLong,
            $"a 100-step training step allocated {firstLong} B with fresh buffers and {repeatedLong} B reusing them; the gates alone are {savedBytes} B");
    }

    // A cell with no input projection: its step reads the layer's input itself, so the input's gradient is exactly the
    // cotangent the unroll wrote for its one block of steps.
    private static readonly Cell<double> Plain = new("plain tanh RNN",
        static (p, state, x) => RecurrentState<double>.Of(Tensor.Tanh(Tensor.MatMulTransposeB(x, p["w"]) + Tensor.MatMulTransposeB(state.Hidden, p["u"]))),
        static (input, hidden, seed) => Params<double>.Empty
            .Add("w", Tensor.RandomNormal<double>([hidden, input], seed, 0, 0.5))
            .Add("u", Tensor.RandomNormal<double>([hidden, hidden], seed + 1, 0, 0.3)));

    [Fact]
    public void An_input_gradient_from_a_reused_cotangent_buffer_is_the_callers_to_keep()
    {
        var layer = new RecurrentLayer<double>(Plain, 3, 4);
        var parameters = layer.Initialize(seed: 2);
        Tensor<double> Loss(Params<double> p) => Tensor.Sum(Tensor.Tanh(layer.Apply(p, p["input"]).Output));
        var first = Grad.ValueAndGrad(Loss, parameters.Add("input", Tensor.RandomNormal<double>([6, 2, 3], 3))).Gradients["input"];
        var kept = first.ToArray();
        // Later training steps take the pooled buffers again and write other cotangents into them.
        for (ulong step = 0; step < 3; step++)
            Grad.ValueAndGrad(Loss, parameters.Add("input", Tensor.RandomNormal<double>([6, 2, 3], 10 + step)));
        Assert.Equal(kept, first.ToArray());
        Tensor<double> eager;
        using (Compile.Eagerly()) eager = Grad.ValueAndGrad(Loss, parameters.Add("input", Tensor.RandomNormal<double>([6, 2, 3], 3))).Gradients["input"];
        Assert.True(first.AllClose(eager, 1e-12, 1e-13));
    }

    [Fact]
    public void A_jacobian_through_a_planned_layer_runs_one_sweep_per_row_with_the_eager_rows()
    {
        var layer = new RecurrentLayer<double>(Plain, 3, 4);
        var parameters = layer.Initialize(seed: 5);
        var input = Tensor.RandomNormal<double>([5, 2, 3], 6);
        Tensor<double> Last(Tensor<double> x) => Tensor.Narrow(layer.Apply(parameters, x).Output, 0, 4, 1).Reshape(8);
        var planned = Grad.Jacobian(Last, input, JacobianMode.Reverse);
        Tensor<double> eager;
        using (Compile.Eagerly()) eager = Grad.Jacobian(Last, input, JacobianMode.Reverse);
        Assert.True(planned.AllClose(eager, 1e-12, 1e-13));
    }

    [Fact]
    public void A_gradient_padded_in_the_sweeps_scratch_is_the_callers_to_keep()
    {
        // x's gradient is the cotangent of one slice of it, padded with zeros: built in the sweep's scratch, then copied.
        var weights = Tensor.RandomNormal<double>([2, 300], 1);
        Tensor<double> Loss(Tensor<double> x) => Tensor.Sum(Tensor.Narrow(x, 0, 1, 2) * weights);
        var first = Grad.Gradient(Loss, Tensor.RandomNormal<double>([5, 300], 2));
        var kept = first.ToArray();
        for (ulong call = 0; call < 3; call++) Grad.Gradient(x => Loss(x) * (call + 2.0), Tensor.RandomNormal<double>([5, 300], 3 + call));
        Assert.Equal(kept, first.ToArray());
        Assert.Equal(new double[300], kept[..300]);
        Assert.Equal(weights.ToArray(), kept[300..900]);
        Assert.Equal(new double[600], kept[900..]);
    }
}
