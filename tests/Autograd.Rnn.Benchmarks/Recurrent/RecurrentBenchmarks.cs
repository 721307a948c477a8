using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// One recurrent layer, float32, time-major [T,B,I], zero initial state, for issue 4's four sizes, forward only
/// ("Fwd") and forward+backward ("FwdBwd": loss = sum of the outputs, gradients of every parameter and of the
/// input). In each category our layer is the baseline, against libtorch three ways:
/// <list type="bullet">
/// <item><c>Torch_nn_OneDnn_*</c>: nn.LSTM/GRU/RNN with oneDNN on (libtorch's default; float32 LSTMs run oneDNN's
/// fused RNN). Its forward-only LSTM row computes wrong values on this CPU and is timed only (Note column).</item>
/// <item><c>Torch_nn_Native_*</c>: the same module with oneDNN off (libtorch's own kernels).</item>
/// <item><c>Torch_Composed_*</c>: the cell written from torch ops in a Python-like loop — per step matmul, chunk,
/// sigmoid/tanh — as a PyTorch user writes a custom cell.</item>
/// </list>
/// libtorch's forward-only rows run under no_grad (inference), as ours builds no graph outside Grad.
/// </summary>
public abstract class RecurrentBenchmarks
{
    protected abstract RecurrentKind Kind { get; }

    [ParamsSource(nameof(Shapes))]
    public RnnShape Shape { get; set; } = null!;

    /// <summary>The sizes to run: issue 4's four, unless a subclass measures another series.</summary>
    public virtual IEnumerable<RnnShape> Shapes => Benchmarks.Shapes.Recurrent;

    private RecurrentLayer<float> layer = null!;
    private Params<float> parameters = null!;
    private Params<float> parametersAndInput = null!;
    private Tensor<float> input = null!;

    private torch.nn.Module module = null!;
    private Func<torch.Tensor, torch.Tensor> moduleOutput = null!;
    private torch.Tensor torchInput = null!, torchInputLeaf = null!;
    private torch.Tensor[] moduleLeaves = null!;
    private torch.Tensor weightIh = null!, weightHh = null!, biasIh = null!, biasHh = null!;
    private torch.Tensor[] composedLeaves = null!;

    private const string OursFwd = nameof(Ours_Fwd), OursFwdBwd = nameof(Ours_FwdBwd);
    private const string OneDnnFwd = nameof(Torch_nn_OneDnn_Fwd), NativeFwd = nameof(Torch_nn_Native_Fwd), ComposedFwd = nameof(Torch_Composed_Fwd);
    private const string OneDnnFwdBwd = nameof(Torch_nn_OneDnn_FwdBwd), NativeFwdBwd = nameof(Torch_nn_Native_FwdBwd),
        ComposedFwdBwd = nameof(Torch_Composed_FwdBwd);

    /// <summary>
    /// Our rows' processes never load libtorch: once it has run, its idle OpenMP threads keep spinning and took CPU
    /// from our code running in the same process (a 1-thread RNN row at (64, 50, 256, 512): 300 ms with them, 107 ms
    /// without).
    /// </summary>
    [GlobalSetup(Targets = new[] { OursFwd, OursFwdBwd })]
    public void SetupOurs()
    {
        BenchThreads.PrintOnce();
        SetupLayer();
        if (Kind == RecurrentKind.Lstm)
            Console.WriteLine($"// {Shape}: BPTT must keep {Kind.BpttBytes(Shape):N0} bytes per training step " +
                $"(6·B·H·T activations + {Kind.ParameterCount(Shape):N0} parameter and {(long)Shape.Steps * Shape.Batch * Shape.Input:N0} input gradients, float32)");
    }

    [GlobalSetup(Targets = new[] { OneDnnFwd, NativeFwd, ComposedFwd, OneDnnFwdBwd, NativeFwdBwd, ComposedFwdBwd })]
    public void SetupTorch()
    {
        SetupLayer();
        Torch.Setup();
        SetupTorchModules();
    }

    private void SetupLayer()
    {
        var (b, t, i, h) = (Shape.Batch, Shape.Steps, Shape.Input, Shape.Hidden);
        layer = Kind switch
        {
            RecurrentKind.Lstm => RecurrentLayer.Lstm<float>(i, h),
            RecurrentKind.Gru => RecurrentLayer.Gru<float>(i, h),
            RecurrentKind.Rnn => RecurrentLayer.Rnn<float>(i, h),
            _ => throw new NotSupportedException(Kind.ToString()),
        };
        parameters = layer.Initialize(seed: 1);
        input = Tensor.RandomNormal<float>([t, b, i], seed: 2);
        parametersAndInput = parameters.Add("input", input);
    }

    private void SetupTorchModules()
    {
        var (b, t, i, h) = (Shape.Batch, Shape.Steps, Shape.Input, Shape.Hidden);
        switch (Kind)
        {
            case RecurrentKind.Lstm:
                var lstm = torch.nn.LSTM(i, h);
                (module, moduleOutput) = (lstm, x => lstm.forward(x).Item1);
                break;
            case RecurrentKind.Gru:
                var gru = torch.nn.GRU(i, h);
                (module, moduleOutput) = (gru, x => gru.forward(x, null).Item1);
                break;
            default:
                var rnn = torch.nn.RNN(i, h);
                (module, moduleOutput) = (rnn, x => rnn.forward(x, null).Item1);
                break;
        }
        torchInput = torch.tensor(input.ToArray(), [t, b, i], dtype: torch.float32);
        torchInputLeaf = torchInput.detach().clone().requires_grad_(true);
        moduleLeaves = [.. module.parameters(), torchInputLeaf];

        long gates = Kind.Gates();
        weightIh = Torch.Uniform(h, gates * h, i);
        weightHh = Torch.Uniform(h, gates * h, h);
        biasIh = Torch.Uniform(h, gates * h);
        biasHh = Torch.Uniform(h, gates * h);
        composedLeaves = [weightIh, weightHh, biasIh, biasHh, torchInputLeaf];
    }

    [GlobalCleanup(Targets = new[] { OneDnnFwd, NativeFwd, ComposedFwd, OneDnnFwdBwd, NativeFwdBwd, ComposedFwdBwd })]
    public void Cleanup()
    {
        module.Dispose();
        foreach (var tensor in new[] { torchInput, torchInputLeaf, weightIh, weightHh, biasIh, biasHh }) tensor.Dispose();
    }

    // ---- forward only ----

    [Benchmark(Baseline = true), BenchmarkCategory("Fwd")]
    public Tensor<float> Ours_Fwd() => layer.Apply(parameters, input).Output;

    [Benchmark, BenchmarkCategory("Fwd")]
    public void Torch_nn_OneDnn_Fwd() => ModuleForward(oneDnn: true);

    [Benchmark, BenchmarkCategory("Fwd")]
    public void Torch_nn_Native_Fwd() => ModuleForward(oneDnn: false);

    [Benchmark, BenchmarkCategory("Fwd")]
    public void Torch_Composed_Fwd()
    {
        Torch.SetOneDnn(true);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        ComposedForward(torchInput);
    }

    // ---- forward + backward ----

    [Benchmark(Baseline = true), BenchmarkCategory("FwdBwd")]
    public GradientResult<float> Ours_FwdBwd() =>
        Grad.ValueAndGrad(p => Tensor.Sum(layer.Apply(p, p["input"]).Output), parametersAndInput);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public void Torch_nn_OneDnn_FwdBwd() => ModuleForwardBackward(oneDnn: true);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public void Torch_nn_Native_FwdBwd() => ModuleForwardBackward(oneDnn: false);

    [Benchmark, BenchmarkCategory("FwdBwd")]
    public void Torch_Composed_FwdBwd()
    {
        Torch.SetOneDnn(true);
        using var scope = torch.NewDisposeScope();
        var loss = ComposedForward(torchInputLeaf).sum();
        torch.autograd.grad([loss], composedLeaves);
    }

    private void ModuleForward(bool oneDnn)
    {
        Torch.SetOneDnn(oneDnn);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        moduleOutput(torchInput);
    }

    private void ModuleForwardBackward(bool oneDnn)
    {
        Torch.SetOneDnn(oneDnn);
        using var scope = torch.NewDisposeScope();
        var loss = moduleOutput(torchInputLeaf).sum();
        torch.autograd.grad([loss], moduleLeaves);
    }

    /// <summary>The cell from torch ops, one step at a time; PyTorch's equations and gate orders.</summary>
    private torch.Tensor ComposedForward(torch.Tensor x)
    {
        var (steps, batch, hidden) = (Shape.Steps, Shape.Batch, Shape.Hidden);
        var h = torch.zeros(batch, hidden, dtype: torch.float32);
        var c = Kind == RecurrentKind.Lstm ? torch.zeros(batch, hidden, dtype: torch.float32) : null;
        var wIh = weightIh.t();
        var wHh = weightHh.t();
        var outputs = new torch.Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            var xt = x[t];
            switch (Kind)
            {
                case RecurrentKind.Lstm:
                {
                    var gates = (xt.matmul(wIh) + biasIh + h.matmul(wHh) + biasHh).chunk(4, 1);
                    var i = gates[0].sigmoid();
                    var f = gates[1].sigmoid();
                    var g = gates[2].tanh();
                    var o = gates[3].sigmoid();
                    c = f * c! + i * g;
                    h = o * c.tanh();
                    break;
                }
                case RecurrentKind.Gru:
                {
                    var gi = (xt.matmul(wIh) + biasIh).chunk(3, 1);
                    var gh = (h.matmul(wHh) + biasHh).chunk(3, 1);
                    var r = (gi[0] + gh[0]).sigmoid();
                    var z = (gi[1] + gh[1]).sigmoid();
                    var n = (gi[2] + r * gh[2]).tanh();
                    h = (1 - z) * n + z * h;
                    break;
                }
                default:
                    h = (xt.matmul(wIh) + biasIh + h.matmul(wHh) + biasHh).tanh();
                    break;
            }
            outputs[t] = h;
        }
        return torch.stack(outputs);
    }
}

[BenchmarkCategory("Lstm")]
public class LstmBenchmarks : RecurrentBenchmarks
{
    protected override RecurrentKind Kind => RecurrentKind.Lstm;
}

[BenchmarkCategory("Gru")]
public class GruBenchmarks : RecurrentBenchmarks
{
    protected override RecurrentKind Kind => RecurrentKind.Gru;
}

[BenchmarkCategory("Rnn")]
public class RnnBenchmarks : RecurrentBenchmarks
{
    protected override RecurrentKind Kind => RecurrentKind.Rnn;
}

/// <summary>
/// How the LSTM's cost grows with one size at a time around (B, T, I, H) = (32, 50, 64, 128): steps T = 25…400
/// (issue 4: linear in T, no hidden quadratic cost in graph walking), batch B = 1…128 and hidden H = 32…512.
/// Run its FwdBwd rows: <c>--filter '*LstmScaling*FwdBwd*'</c>.
/// </summary>
[BenchmarkCategory("LstmScaling")]
public class LstmScalingBenchmarks : RecurrentBenchmarks
{
    protected override RecurrentKind Kind => RecurrentKind.Lstm;

    public override IEnumerable<RnnShape> Shapes => Benchmarks.Shapes.Scaling;
}
