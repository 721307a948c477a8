using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// Per-example gradients of a small two-layer tanh MLP (inputs → hidden → 1, squared error): one batched pass with
/// <c>Grad.PerExampleGradients</c> (Vmap of Grad: each op runs once on the whole batch, the first layer's product is
/// one GEMM over the batch's rows) against the baseline, a loop of one <c>Grad.Gradient</c> call per example
/// followed by a Stack of each parameter's gradients (the same result, as the tests check).
/// </summary>
[BenchmarkCategory("Transforms", "Vmap")]
public class PerExampleGradientBenchmarks
{
    [Params(16, 128)]
    public int Examples { get; set; }

    private const int Inputs = 32, Hidden = 64;
    private Params<float> parameters = null!;
    private Tensor<float> inputs = null!;
    private Tensor<float> targets = null!;
    private Tensor<float>[] inputRows = null!;
    private Tensor<float>[] targetRows = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchThreads.PrintOnce();
        parameters = Params<float>.Empty
            .Add("w1", Tensor.RandomNormal<float>([Inputs, Hidden], seed: 1, standardDeviation: 0.2f))
            .Add("b1", Tensor.Zeros<float>(Hidden))
            .Add("w2", Tensor.RandomNormal<float>([Hidden, 1], seed: 2, standardDeviation: 0.2f));
        inputs = Tensor.RandomNormal<float>([Examples, Inputs], seed: 3);
        targets = Tensor.RandomNormal<float>([Examples, 1], seed: 4);
        inputRows = inputs.Unstack();
        targetRows = targets.Unstack();
    }

    // One example: x [inputs], y [1] -> scalar.
    private static Tensor<float> Loss(Params<float> p, Tensor<float> x, Tensor<float> y)
    {
        var hidden = Tensor.Tanh(x.Reshape(1, Inputs).MatMul(p["w1"]) + p["b1"]);
        var error = hidden.MatMul(p["w2"]).Reshape(1) - y;
        return Tensor.Sum(error * error);
    }

    [Benchmark(Baseline = true)]
    public Params<float> Loop_of_Grad_calls()
    {
        var each = new Params<float>[Examples];
        for (int i = 0; i < Examples; i++) each[i] = Grad.Gradient(p => Loss(p, inputRows[i], targetRows[i]), parameters);
        var stacked = new Tensor<float>[parameters.Count];
        for (int k = 0; k < stacked.Length; k++)
        {
            string name = parameters.Names[k];
            stacked[k] = Tensor.Stack(Array.ConvertAll(each, g => g[name]), 0);
        }
        var result = Params<float>.Empty;
        for (int k = 0; k < stacked.Length; k++) result = result.Add(parameters.Names[k], stacked[k]);
        return result;
    }

    [Benchmark]
    public Params<float> Vmap_of_Grad() => Grad.PerExampleGradients(Loss, parameters, inputs, targets);
}
