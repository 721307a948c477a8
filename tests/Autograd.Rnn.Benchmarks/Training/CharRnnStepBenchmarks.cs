using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// One full training step of examples/CharRnn at its default size — embedding 32, a 2-layer LSTM of 128 units,
/// linear readout, cross-entropy over 32 streams × 64 characters, gradient clipping to global norm 1, Adam — ours
/// against the same model in libtorch (nn.Embedding, nn.LSTM, nn.Linear, cross_entropy, clip_grad_norm_,
/// optim.Adam). Tokens are drawn at random from a 96-symbol vocabulary: the cost does not depend on the text.
/// </summary>
[BenchmarkCategory("CharRnn")]
public class CharRnnStepBenchmarks
{
    private const int Vocabulary = 96, EmbeddingSize = 32, Hidden = 128, Layers = 2, Batch = 32, Time = 64;
    private const double LearningRate = 3e-3, ClipNorm = 1.0;

    private RecurrentLayer<float> layer = null!;
    private Params<float> parameters = null!;
    private AdamState<float> adam = null!;
    private int[] inputs = null!, targets = null!;

    private torch.nn.Module<torch.Tensor, torch.Tensor> embedding = null!, readout = null!;
    private torch.nn.Module lstmModule = null!;
    private TorchSharp.Modules.LSTM lstm = null!;
    private torch.optim.Optimizer optimizer = null!;
    private IList<TorchSharp.Modules.Parameter> torchParameters = null!;
    private torch.Tensor torchInputs = null!, torchTargets = null!;

    // Our row's process never loads libtorch (its idle OpenMP threads would compete with us for the cores).
    [GlobalSetup(Target = nameof(Ours_TrainingStep))]
    public void SetupOurs()
    {
        BenchThreads.PrintOnce();
        layer = RecurrentLayer.Lstm<float>(EmbeddingSize, Hidden, new RecurrentLayerOptions { NumLayers = Layers });
        parameters = Embedding.Init<float>(Vocabulary, EmbeddingSize, 1).WithPrefix("embedding.")
            .Concat(layer.Initialize(2))
            .Concat(Linear.Init<float>(Hidden, Vocabulary, 3).WithPrefix("readout."));
        adam = Adam.Init(parameters, new AdamOptions { LearningRate = LearningRate });
        var random = new Random(4);
        inputs = [.. Enumerable.Range(0, Time * Batch).Select(_ => random.Next(Vocabulary))];
        targets = [.. Enumerable.Range(0, Time * Batch).Select(_ => random.Next(Vocabulary))];
    }

    [GlobalSetup(Target = nameof(Torch_TrainingStep))]
    public void SetupTorch()
    {
        SetupOurs();
        Torch.Setup();
        Torch.SetOneDnn(true);
        embedding = torch.nn.Embedding(Vocabulary, EmbeddingSize);
        lstm = torch.nn.LSTM(EmbeddingSize, Hidden, numLayers: Layers);
        lstmModule = lstm;
        readout = torch.nn.Linear(Hidden, Vocabulary);
        torchParameters = [.. embedding.parameters(), .. lstm.parameters(), .. readout.parameters()];
        optimizer = torch.optim.Adam(torchParameters, LearningRate);
        torchInputs = torch.tensor(inputs.Select(i => (long)i).ToArray(), [Time, Batch]);
        torchTargets = torch.tensor(targets.Select(i => (long)i).ToArray(), [Time * Batch]);
    }

    [GlobalCleanup(Target = nameof(Torch_TrainingStep))]
    public void Cleanup()
    {
        foreach (var module in new torch.nn.Module[] { embedding, lstmModule, readout }) module.Dispose();
        torchInputs.Dispose();
        torchTargets.Dispose();
    }

    /// <summary>Forward, backward, clip, Adam: the body of examples/CharRnn's training loop.</summary>
    [Benchmark(Baseline = true)]
    public float Ours_TrainingStep()
    {
        var result = Grad.ValueAndGrad(p =>
        {
            var x = Embedding.Apply(p.Select("embedding."), inputs, Time, Batch);
            var logits = Linear.Apply(p.Select("readout."), layer.Apply(p, x).Output);
            return Loss.CrossEntropy(logits, targets);
        }, parameters);
        var clipped = Clip.ByGlobalNorm(result.Gradients, ClipNorm);
        (parameters, adam) = Adam.Step(parameters, clipped.Gradients, adam);
        return result.Value.Item;
    }

    [Benchmark]
    public float Torch_TrainingStep()
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var output = lstm.forward(embedding.forward(torchInputs)).Item1;
        var logits = readout.forward(output).reshape(Time * Batch, Vocabulary);
        var loss = torch.nn.functional.cross_entropy(logits, torchTargets);
        loss.backward();
        torch.nn.utils.clip_grad_norm_(torchParameters, ClipNorm);
        optimizer.step();
        return loss.item<float>();
    }
}
