using Xunit.Abstractions;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Our recurrent layers and cells against libtorch's nn.RNN/LSTM/GRU and nn.RNNCell/LSTMCell/GRUCell, in float64, with the
/// same weights: the generator initialised ours with a seed, copied them into libtorch's module by name (PyTorch's
/// state_dict names) and stored them with libtorch's results in References/recurrent.txt. Compared: the output sequence,
/// h_n (and c_n for LSTM), the loss, and the gradient of every parameter and of the input (and of the initial states when
/// given) for loss = sum(output ⊙ R1) + sum(h_n ⊙ R2) (+ sum(c_n ⊙ R3)), with seeded random cotangents R. Variable-length
/// batches went through pack_padded_sequence (enforce_sorted: false) and pad_packed_sequence on libtorch's side.
/// </summary>
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

    // Compares libtorch's stored results for `c` with our run of `oursCase` (the same configuration unless a test perturbs
    // it) on the stored weights and inputs of `c`.
    private static TensorComparison CompareLayer(RecurrentLayerCase c, RecurrentLayerCase oursCase, bool reverseInitialStates = false)
    {
        var reference = Conformance.Recurrent[c.Name];
        var layer = c.OurLayer();
        var leaves = reference.Inputs(); // the weights, "input", and "h0" (and "c0") when given
        string[] notWeights = ["input", "h0", "c0"];
        var weightNames = leaves.Names.Except(notWeights).ToArray();
        // Same names as libtorch's, in state_dict order (the generator stored the gradients under libtorch's names).
        Assert.Equal(layer.Initialize(0).Names, weightNames);
        Assert.Equal(weightNames, GradientNames(reference).Except(["the input", "h_0", "c_0"]));
        var r1 = reference.Get(TensorRole.Constant, "output cotangent");
        var r2 = reference.Get(TensorRole.Constant, "h_n cotangent");
        var r3 = c.HasCell ? reference.Get(TensorRole.Constant, "c_n cotangent") : null;

        // Initial states, when given, are one RecurrentState per layer and direction, index layer·directions + direction,
        // i.e. h0[k] of PyTorch's h_0.
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
            return c.HasCell ? loss + Tensor.Sum(run.FinalCell * r3!) : loss;
        }
        var ours = Grad.ValueAndGrad(Loss, leaves);
        var forward = Run(leaves);

        var comparison = new TensorComparison(Tolerance);
        comparison.Compare("output", forward.Output, Reference(reference, "output"));
        comparison.Compare("h_n", forward.FinalHidden, Reference(reference, "h_n"));
        if (c.HasCell) comparison.Compare("c_n", forward.FinalCell, Reference(reference, "c_n"));
        comparison.Compare("loss", ours.Value, Reference(reference, "loss"));
        foreach (var weightName in weightNames)
            comparison.Compare($"gradient of {weightName}", ours.Gradients[weightName], Reference(reference, $"gradient of {weightName}"));
        comparison.Compare("gradient of the input", ours.Gradients["input"], Reference(reference, "gradient of the input"));
        if (c.GivenInitialState) comparison.Compare("gradient of h_0", ours.Gradients["h0"], Reference(reference, "gradient of h_0"));
        if (c.GivenInitialState && c.HasCell) comparison.Compare("gradient of c_0", ours.Gradients["c0"], Reference(reference, "gradient of c_0"));
        return comparison;
    }

    [Theory]
    [MemberData(nameof(CellCases))]
    public void Cell_step_and_gradients_match_libtorch_cell_in_float64(string name)
    {
        var c = CellRegistry[name];
        var reference = Conformance.Recurrent[name];
        var cell = c.OurCell();
        var leaves = reference.Inputs(); // our weights in our order, "input", "h" (and "c")
        var torchWeightNames = GradientNames(reference).Except(["the input", "h", "c"]).ToArray();
        Assert.Equal(cell.Initialize(RecurrentCellCase.InputSize, RecurrentCellCase.HiddenSize, 0).Names.Order(), torchWeightNames.Order());
        var r1 = reference.Get(TensorRole.Constant, "h' cotangent");
        var r2 = c.HasCell ? reference.Get(TensorRole.Constant, "c' cotangent") : null;

        RecurrentState<double> Step(Params<double> p) =>
            cell.Step(p, c.HasCell ? RecurrentState<double>.Of(p["h"], p["c"]) : RecurrentState<double>.Of(p["h"]), p["input"]);
        Tensor<double> Loss(Params<double> p)
        {
            var next = Step(p);
            var loss = Tensor.Sum(next.Hidden * r1);
            return c.HasCell ? loss + Tensor.Sum(next[1] * r2!) : loss;
        }
        var ours = Grad.ValueAndGrad(Loss, leaves);
        var forward = Step(leaves);

        var comparison = new TensorComparison(Tolerance);
        comparison.Compare("h'", forward.Hidden, Reference(reference, "h'"));
        if (c.HasCell) comparison.Compare("c'", forward[1], Reference(reference, "c'"));
        comparison.Compare("loss", ours.Value, Reference(reference, "loss"));
        foreach (var weightName in torchWeightNames)
            comparison.Compare($"gradient of {weightName}", ours.Gradients[weightName], Reference(reference, $"gradient of {weightName}"));
        comparison.Compare("gradient of the input", ours.Gradients["input"], Reference(reference, "gradient of the input"));
        comparison.Compare("gradient of h", ours.Gradients["h"], Reference(reference, "gradient of h"));
        if (c.HasCell) comparison.Compare("gradient of c", ours.Gradients["c"], Reference(reference, "gradient of c"));
        Report(name, c.Kind + " cell", comparison);
    }

    private static Tensor<double> Reference(ReferenceCase reference, string name) => reference.Get(TensorRole.Reference, name);

    // What libtorch computed gradients for, in its order: "gradient of X" gives X.
    private static IEnumerable<string> GradientNames(ReferenceCase reference) =>
        reference.All(TensorRole.Reference).Select(t => t.Name).Where(n => n.StartsWith("gradient of ", StringComparison.Ordinal))
            .Select(n => n["gradient of ".Length..]);

    private void Report(string name, string kind, TensorComparison comparison)
    {
        // The largest difference, for the record (visible with --logger "console;verbosity=detailed").
        output.WriteLine($"[{kind}] {name}: largest relative difference {comparison.LargestRelativeDifference:E2} at {comparison.LargestAt}");
        Assert.True(comparison.Passed, $"{name} differs from libtorch:{Environment.NewLine}{comparison.Failures}");
    }
}
