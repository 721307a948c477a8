using Autograd.Rnn.Tests.Plans;
using Xunit.Abstractions;

namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// Tens of thousands of steps: the graph is walked iteratively (no stack overflow even on a small stack), and what
/// a training step keeps and allocates grows linearly with the sequence's length. It measures the whole process's heap,
/// so it runs alone, not beside other test classes.
/// </summary>
[Collection(nameof(MemoryMeasurements))]
public class VeryLongSequenceTests(ITestOutputHelper output)
{
    private const int Batch = 2, Input = 3, Hidden = 8;

    private readonly record struct Footprint(long RetainedBytes, long AllocatedBytes, double Loss);

    // One Adam training step of an LSTM over `steps` steps; the bytes held when the forward pass ends (the graph BPTT
    // keeps) and the bytes allocated by the whole step.
    private static Footprint TrainOneStep(int steps)
    {
        var cell = Cells.Lstm<float>();
        var parameters = cell.Initialize(Input, Hidden, seed: 1);
        var inputs = Tensor.RandomNormal<float>([steps, Batch, Input], seed: 2);
        var adam = AdamOptions.Default;
        long baseline = GC.GetTotalMemory(forceFullCollection: true), retained = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var result = Grad.ValueAndGrad(p =>
        {
            var loss = Tensor.Mean(Recurrence.Scan(cell, p, cell.ZeroState(Batch, Hidden), inputs).Outputs);
            retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            return loss;
        }, parameters);
        var step = Adam.Step(parameters, result.Gradients, Adam.Init(parameters, adam), adam);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.All(step.Parameters, p => Assert.All(p.Value.ToArray(), v => Assert.True(float.IsFinite(v))));
        GC.KeepAlive(inputs);
        return new Footprint(retained, allocated, result.Value.Item);
    }

    [Fact]
    public void A_20000_step_LSTM_trains_a_step_on_a_256_KB_stack_with_memory_linear_in_the_length()
    {
        var footprints = new Dictionary<int, Footprint>();
        foreach (int steps in new[] { 5000, 20000 })
        {
            // The retained bytes are the whole heap's: memory other threads let go of while the step runs (earlier tests'
            // threads and their thread-static scratch pools, say) is subtracted from it, and nothing else runs to add any;
            // one CI run read -55 MB "retained" at 20,000 steps. So each length is measured three times and its largest
            // figure kept, the one the least disturbed.
            for (int attempt = 0; attempt < 3; attempt++)
            {
                // 256 KB is a quarter of a default thread stack: a recursive walk of a 20,000-step graph would need far more.
                // Each measurement runs on a thread of its own, after a short step there: the thread's scratch pool and kept
                // plans then hold nothing a long step can reuse, so every measurement pays for all its buffers and none
                // records a plan.
                Footprint measured = default;
                FreshThread.Run(() =>
                {
                    TrainOneStep(16);
                    measured = TrainOneStep(steps);
                }, maxStackSize: 256 * 1024);
                if (!footprints.TryGetValue(steps, out var kept) || measured.RetainedBytes > kept.RetainedBytes) footprints[steps] = measured;
            }
        }

        var (small, large) = (footprints[5000], footprints[20000]);
        output.WriteLine($"T = 5000: retained {small.RetainedBytes / 1e6:F1} MB, allocated {small.AllocatedBytes / 1e6:F1} MB; " +
            $"T = 20000: retained {large.RetainedBytes / 1e6:F1} MB ({large.RetainedBytes / 20000.0:F0} B/step), allocated {large.AllocatedBytes / 1e6:F1} MB");
        Assert.True(float.IsFinite((float)large.Loss));
        // Linear: 4× the steps costs 4× (±20 %), not 16×.
        Assert.InRange(large.RetainedBytes / (double)small.RetainedBytes, 3.2, 4.8);
        Assert.InRange(large.AllocatedBytes / (double)small.AllocatedBytes, 3.2, 4.8);
    }
}

/// <summary>Tests that measure process-wide memory: xunit runs them after the parallel ones, one at a time.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;
