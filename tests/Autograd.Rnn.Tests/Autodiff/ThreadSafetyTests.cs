namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Graphs are values and Grad keeps no state between calls, so threads differentiating the same function on the
/// same parameters at once must get exactly (bit for bit) what one thread gets alone.
/// </summary>
public class ThreadSafetyTests
{
    private const int Threads = 4;
    private const int Iterations = 150;

    private static readonly Params<double> Parameters = Params<double>.Empty
        .Add("w", Tensor.RandomNormal<double>([16, 24], 1, standardDeviation: 0.3))
        .Add("b", Tensor.RandomNormal<double>([24], 2))
        .Add("v", Tensor.RandomNormal<double>([24, 1], 3));

    private static readonly Tensor<double> Input = Tensor.RandomNormal<double>([8, 16], 4);

    private static Tensor<double> Loss(Params<double> p) =>
        Tensor.Sum(Tensor.Tanh(Input.MatMul(p["w"]) + p["b"]).MatMul(p["v"]) * Tensor.Tanh(Input.MatMul(p["w"]) + p["b"]).MatMul(p["v"]));

    // A nested derivative too: the gradient of ⟨∇Loss, Parameters⟩, so tags of concurrent nested calls interleave.
    private static Params<double> GradientOfProjectedGradient(Params<double> p) =>
        Grad.Gradient(q =>
        {
            var inner = Grad.Gradient(Loss, q);
            var total = Tensor.Scalar(0.0);
            foreach (var (name, g) in inner) total += Tensor.Sum(g * Parameters[name]);
            return total;
        }, p);

    [Fact]
    public void Concurrent_gradients_of_the_same_function_are_bit_identical_to_a_single_thread()
    {
        var reference = Flatten(Grad.ValueAndGrad(Loss, Parameters));
        var results = RunConcurrently(() => Flatten(Grad.ValueAndGrad(Loss, Parameters)));
        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Fact]
    public void Concurrent_nested_gradients_are_bit_identical_to_a_single_thread()
    {
        var reference = Flatten(GradientOfProjectedGradient(Parameters));
        var results = RunConcurrently(() => Flatten(GradientOfProjectedGradient(Parameters)), iterations: Iterations / 5);
        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Fact]
    public void Concurrent_training_steps_of_a_recurrent_layer_on_shared_parameters_are_bit_identical_to_serial()
    {
        // Shared layer, parameters and padded batch; each thread takes gradients, clips them and applies an Adam step.
        var layer = RecurrentLayer.Lstm<float>(3, 8, new RecurrentLayerOptions { Bidirectional = true });
        var parameters = layer.Initialize(seed: 5);
        var inputs = Tensor.RandomNormal<float>([12, 4, 3], seed: 6);
        int[] lengths = [12, 7, 3, 10];
        var adam = AdamOptions.Default;
        long[] Step()
        {
            var result = Grad.ValueAndGrad(p => Tensor.Sum(layer.Apply(p, inputs, lengths).LastLayerHidden), parameters);
            var clipped = Clip.ByGlobalNorm(result.Gradients, maxNorm: 0.5);
            var next = Adam.Step(parameters, clipped.Gradients, Adam.Init(parameters, adam), adam);
            return [.. next.Parameters.SelectMany(pair => pair.Value.ToArray()).Select(v => (long)BitConverter.SingleToInt32Bits(v))];
        }
        var serial = Step();
        var results = RunConcurrently(Step, iterations: Iterations / 10);
        Assert.All(results, r => Assert.Equal(serial, r));
    }

    private static List<long[]> RunConcurrently(Func<long[]> work, int iterations = Iterations)
    {
        var results = new List<long[]>[Threads];
        var failures = new Exception?[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var mine = new List<long[]>();
            start.SignalAndWait();
            try
            {
                for (int i = 0; i < iterations; i++) mine.Add(work());
            }
            catch (Exception e) { failures[t] = e; }
            results[t] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(failures, Assert.Null);
        Assert.All(results, r => Assert.Equal(iterations, r.Count));
        return results.SelectMany(r => r).ToList();
    }

    private static long[] Flatten(GradientResult<double> result) =>
        [BitConverter.DoubleToInt64Bits(result.Value.Item), .. Flatten(result.Gradients)];

    private static long[] Flatten(Params<double> p) =>
        p.SelectMany(pair => pair.Value.ToArray()).Select(BitConverter.DoubleToInt64Bits).ToArray();
}
