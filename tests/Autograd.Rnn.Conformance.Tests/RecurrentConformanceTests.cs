using TorchSharp;
using Xunit.Abstractions;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Our recurrent layers and cells against libtorch's nn.RNN/LSTM/GRU and nn.RNNCell/LSTMCell/GRUCell, in float64, with the
/// same weights: ours are initialised with a seed and copied into libtorch's module by name (PyTorch's state_dict names).
/// Compared: the output sequence, h_n (and c_n for LSTM), the loss, and the gradient of every parameter and of the input
/// (and of the initial states when given) for loss = sum(output ⊙ R1) + sum(h_n ⊙ R2) (+ sum(c_n ⊙ R3)), with seeded
/// random cotangents R. Variable-length batches go through pack_padded_sequence (enforce_sorted: false) and
/// pad_packed_sequence on libtorch's side.
/// </summary>
[Collection(LibTorchCollection.Name)]
public sealed class RecurrentConformanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// |ours − libtorch| ≤ 1e-9 · max(1, |libtorch|) for every element. Both sides evaluate the same equations in double
    /// but sum in different orders (libtorch fuses the gate products and accumulates gradients over time in its own
    /// order) through up to two layers, two directions and five steps of backpropagation through time; 1e-9 leaves room
    /// for that rounding (measured differences are around 1e-15) and catches any wrong formula, gate order or mask.
    /// </summary>
    public const double Tolerance = 1e-9;

    private static readonly IReadOnlyDictionary<string, RecurrentLayerCase> LayerRegistry =
        RecurrentCases.Layers().ToDictionary(c => c.Name);

    private static readonly IReadOnlyDictionary<string, RecurrentCellCase> CellRegistry =
        RecurrentCases.CellSteps().ToDictionary(c => c.Name);

    public static TheoryData<string> LayerCases => new(LayerRegistry.Keys);

    public static TheoryData<string> CellCases => new(CellRegistry.Keys);

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void Layer_outputs_final_states_and_gradients_match_libtorch_in_float64(string name)
    {
        var c = LayerRegistry[name];
        Report(name, c.Kind.ToString(), CompareLayer(c, c));
    }

    [Fact]
    public void A_layer_run_without_its_lengths_is_reported()
    {
        // The check must see padding: our layer run over the full padded batch differs from libtorch's packed run.
        var packed = new RecurrentLayerCase(RecurrentKind.Gru, 2, true, false, RecurrentCases.VariableLengths);
        var comparison = CompareLayer(packed, packed with { Lengths = null });
        Assert.False(comparison.Passed);
        Assert.Contains("output", comparison.Failures);
        Assert.Contains("h_n", comparison.Failures);
    }

    [Fact]
    public void A_layer_with_reversed_initial_states_is_reported()
    {
        // Initial states in another order than PyTorch's (layer·directions + direction) must fail.
        var given = new RecurrentLayerCase(RecurrentKind.Lstm, 2, true, true, RecurrentCases.VariableLengths, GivenInitialState: true);
        var comparison = CompareLayer(given, given, reverseInitialStates: true);
        Assert.False(comparison.Passed);
        Assert.Contains("h_n", comparison.Failures);
    }

    // Runs `c` on libtorch and `oursCase` (the same configuration unless a test perturbs it) on our side, with the
    // seeds and weights of `c`.
    private static TensorComparison CompareLayer(RecurrentLayerCase c, RecurrentLayerCase oursCase, bool reverseInitialStates = false)
    {
        string name = c.Name;
        int seed = TestData.StableHash(name);
        var layer = c.OurLayer();
        var parameters = layer.Initialize((ulong)seed);
        var x = TestData.Uniform(seed + 1, c.InputShape);
        var r1 = TestData.Uniform(seed + 2, c.OutputShape);
        var r2 = TestData.Uniform(seed + 3, c.StateShape);
        var r3 = TestData.Uniform(seed + 4, c.StateShape);
        var h0 = TestData.Uniform(seed + 5, c.StateShape);
        var c0 = TestData.Uniform(seed + 6, c.StateShape);

        // Ours. Initial states, when given, are one RecurrentState per layer and direction, index layer·directions + direction,
        // i.e. h0[k] of PyTorch's h_0.
        var leaves = parameters.Add("input", x);
        if (c.GivenInitialState)
        {
            leaves = leaves.Add("h0", h0);
            if (c.HasCell) leaves = leaves.Add("c0", c0);
        }
        RecurrentLayerResult<double> Run(Params<double> p)
        {
            IReadOnlyList<RecurrentState<double>>? initial = null;
            if (c.GivenInitialState)
            {
                var hs = Tensor.Unstack(p["h0"], 0);
                var cs = c.HasCell ? Tensor.Unstack(p["c0"], 0) : null;
                initial = Enumerable.Range(0, hs.Length)
                    .Select(k => cs is null ? RecurrentState<double>.Of(hs[k]) : RecurrentState<double>.Of(hs[k], cs[k]))
                    .ToArray();
            }
            if (reverseInitialStates && initial is not null) initial = initial.Reverse().ToArray();
            return layer.Apply(p, p["input"], oursCase.Lengths, initial);
        }
        Tensor<double> Loss(Params<double> p)
        {
            var run = Run(p);
            var loss = Tensor.Sum(run.Output * r1) + Tensor.Sum(run.FinalHidden * r2);
            return c.HasCell ? loss + Tensor.Sum(run.FinalCell * r3) : loss;
        }
        var ours = Grad.ValueAndGrad(Loss, leaves);
        var forward = Run(leaves);

        // libtorch, with our weights copied in by name.
        using var scope = torch.NewDisposeScope();
        var module = c.TorchModule();
        var torchParameters = module.named_parameters().ToList();
        Assert.Equal(parameters.Names, torchParameters.Select(pair => pair.name)); // same names, in state_dict order
        using (torch.no_grad())
            foreach (var (parameterName, parameter) in torchParameters)
            {
                Assert.Equal(torch.float64, parameter.dtype);
                parameter.copy_(parameters[parameterName].ToTorch());
            }
        var xt = x.ToTorch(requiresGrad: true);
        var h0t = c.GivenInitialState ? h0.ToTorch(requiresGrad: true) : null;
        var c0t = c.GivenInitialState && c.HasCell ? c0.ToTorch(requiresGrad: true) : null;
        var (outputT, hnT, cnT) = c.RunTorch(module, xt, h0t, c0t);
        var lossT = (outputT * r1.ToTorch()).sum() + (hnT * r2.ToTorch()).sum();
        if (c.HasCell) lossT = lossT + (cnT! * r3.ToTorch()).sum();
        lossT.backward();

        var comparison = new TensorComparison(Tolerance);
        comparison.Compare("output", forward.Output, outputT.detach().ToOurs());
        comparison.Compare("h_n", forward.FinalHidden, hnT.detach().ToOurs());
        if (c.HasCell) comparison.Compare("c_n", forward.FinalCell, cnT!.detach().ToOurs());
        comparison.Compare("loss", ours.Value, lossT.detach().ToOurs());
        foreach (var (parameterName, parameter) in torchParameters)
            comparison.Compare($"gradient of {parameterName}", ours.Gradients[parameterName], Gradient(parameter, parameterName));
        comparison.Compare("gradient of the input", ours.Gradients["input"], Gradient(xt, "input"));
        if (h0t is not null) comparison.Compare("gradient of h_0", ours.Gradients["h0"], Gradient(h0t, "h_0"));
        if (c0t is not null) comparison.Compare("gradient of c_0", ours.Gradients["c0"], Gradient(c0t, "c_0"));
        return comparison;
    }

    [Theory]
    [MemberData(nameof(CellCases))]
    public void Cell_step_and_gradients_match_libtorch_cell_in_float64(string name)
    {
        var c = CellRegistry[name];
        int seed = TestData.StableHash(name);
        var cell = c.OurCell();
        var parameters = cell.Initialize(RecurrentCellCase.InputSize, RecurrentCellCase.HiddenSize, (ulong)seed);
        int[] stateShape = [RecurrentCellCase.Batch, RecurrentCellCase.HiddenSize];
        var x = TestData.Uniform(seed + 1, [RecurrentCellCase.Batch, RecurrentCellCase.InputSize]);
        var h = TestData.Uniform(seed + 2, stateShape);
        var cc = TestData.Uniform(seed + 3, stateShape);
        var r1 = TestData.Uniform(seed + 4, stateShape);
        var r2 = TestData.Uniform(seed + 5, stateShape);

        var leaves = parameters.Add("input", x).Add("h", h);
        if (c.HasCell) leaves = leaves.Add("c", cc);
        RecurrentState<double> Step(Params<double> p) =>
            cell.Step(p, c.HasCell ? RecurrentState<double>.Of(p["h"], p["c"]) : RecurrentState<double>.Of(p["h"]), p["input"]);
        Tensor<double> Loss(Params<double> p)
        {
            var next = Step(p);
            var loss = Tensor.Sum(next.Hidden * r1);
            return c.HasCell ? loss + Tensor.Sum(next[1] * r2) : loss;
        }
        var ours = Grad.ValueAndGrad(Loss, leaves);
        var forward = Step(leaves);

        using var scope = torch.NewDisposeScope();
        var module = c.TorchModule();
        var torchParameters = module.named_parameters().ToList();
        Assert.Equal(parameters.Names.Order(), torchParameters.Select(pair => pair.name).Order());
        using (torch.no_grad())
            foreach (var (parameterName, parameter) in torchParameters)
            {
                Assert.Equal(torch.float64, parameter.dtype);
                parameter.copy_(parameters[parameterName].ToTorch());
            }
        var xt = x.ToTorch(requiresGrad: true);
        var ht = h.ToTorch(requiresGrad: true);
        var ct = c.HasCell ? cc.ToTorch(requiresGrad: true) : null;
        var (hT, cT) = RecurrentCellCase.StepTorch(module, xt, ht, ct);
        var lossT = (hT * r1.ToTorch()).sum();
        if (c.HasCell) lossT = lossT + (cT! * r2.ToTorch()).sum();
        lossT.backward();

        var comparison = new TensorComparison(Tolerance);
        comparison.Compare("h'", forward.Hidden, hT.detach().ToOurs());
        if (c.HasCell) comparison.Compare("c'", forward[1], cT!.detach().ToOurs());
        comparison.Compare("loss", ours.Value, lossT.detach().ToOurs());
        foreach (var (parameterName, parameter) in torchParameters)
            comparison.Compare($"gradient of {parameterName}", ours.Gradients[parameterName], Gradient(parameter, parameterName));
        comparison.Compare("gradient of the input", ours.Gradients["input"], Gradient(xt, "input"));
        comparison.Compare("gradient of h", ours.Gradients["h"], Gradient(ht, "h"));
        if (ct is not null) comparison.Compare("gradient of c", ours.Gradients["c"], Gradient(ct, "c"));
        Report(name, c.Kind + " cell", comparison);
    }

    private static Tensor<double> Gradient(torch.Tensor leaf, string name) =>
        (leaf.grad ?? throw new InvalidOperationException($"libtorch computed no gradient for {name}.")).ToOurs();

    private void Report(string name, string kind, TensorComparison comparison)
    {
        // The largest difference, for the record (visible with --logger "console;verbosity=detailed").
        output.WriteLine($"[{kind}] {name}: largest relative difference {comparison.LargestRelativeDifference:E2} at {comparison.LargestAt}");
        Assert.True(comparison.Passed, $"{name} differs from libtorch:{Environment.NewLine}{comparison.Failures}");
    }
}
