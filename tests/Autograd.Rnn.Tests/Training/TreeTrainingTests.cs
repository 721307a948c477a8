using Autograd.Rnn.Tests.IO;

namespace Autograd.Rnn.Tests.Training;

/// <summary>
/// A C# record tree through the whole training path: gradients (the flat path's bits), a gradient check named by path,
/// Adam steps, and a checkpoint whose names are the dotted paths.
/// </summary>
public sealed class TreeTrainingTests : IDisposable
{
    public sealed record Readout(Tensor<float> Weight, Tensor<float> Bias);

    public sealed record Tagger(Params<float> Encoder, IReadOnlyList<Readout> Heads, int HiddenSize);

    private static readonly RecurrentLayer<float> Layer = RecurrentLayer.Lstm<float>(3, 8);
    private static readonly Tensor<float> Inputs = Tensor.RandomNormal<float>([5, 4, 3], seed: 7);
    private static readonly Tensor<float> Targets = Tensor.RandomNormal<float>([4, 1], seed: 8);

    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private static Tagger Start() => new(
        Layer.Initialize(seed: 1),
        [Head(Linear.Init<float>(8, 1, seed: 2)), Head(Linear.Init<float>(8, 1, seed: 3))],
        HiddenSize: 8);

    private static Readout Head(Params<float> linear) => new(linear["weight"], linear["bias"]);

    private static Tensor<float> Apply(Readout head, Tensor<float> h) =>
        Linear.Apply(Params<float>.Empty.Add("weight", head.Weight).Add("bias", head.Bias), h);

    private static Tensor<float> LossOf(Tagger model)
    {
        var h = Layer.Apply(model.Encoder, Inputs).LastLayerHidden;
        return Loss.Mse(Apply(model.Heads[0], h) + Apply(model.Heads[1], h), Targets);
    }

    // The same model written against the flat view, with the names ParamTree gives it.
    private static Tensor<float> FlatLossOf(Params<float> p)
    {
        var h = Layer.Apply(p.Select("Encoder."), Inputs).LastLayerHidden;
        return Loss.Mse(Apply(new(p["Heads.0.Weight"], p["Heads.0.Bias"]), h) + Apply(new(p["Heads.1.Weight"], p["Heads.1.Bias"]), h), Targets);
    }

    private static void AssertSameBits(Params<float> expected, Params<float> actual)
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.ToArray().Select(BitConverter.SingleToInt32Bits), actual[name].ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Gradients_over_a_record_are_the_flat_gradients_bit_for_bit_as_the_same_record()
    {
        var model = Start();
        var tree = Grad.ValueAndGradTree(model, LossOf);
        var flat = Grad.ValueAndGrad(FlatLossOf, ParamTree.ToParams<float>(model));
        Assert.Equal(BitConverter.SingleToInt32Bits(flat.Value.Item), BitConverter.SingleToInt32Bits(tree.Value.Item));
        AssertSameBits(flat.Gradients, ParamTree.ToParams<float>(tree.Gradients));
        Assert.Equal(8, tree.Gradients.HiddenSize);
        Assert.Equal(2, tree.Gradients.Heads.Count);
        AssertSameBits(flat.Gradients, ParamTree.ToParams<float>(Grad.GradientTree(model, LossOf)));
    }

    [Fact]
    public void GradCheck_on_a_tree_names_entries_by_their_dotted_paths()
    {
        var tree = new Dictionary<string, Tensor<double>> { ["w"] = Tensor.RandomNormal<double>([3, 2], seed: 1), ["b"] = Tensor.Full(0.1, 2) };
        var x = Tensor.RandomNormal<double>([4, 3], seed: 2);
        var result = GradCheck.RunTree(tree, t => Tensor.Tanh(x.MatMul(t["w"]) + t["b"]).Sum());
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(8, result.Checked);
        var broken = GradCheck.RunTree(tree, t => Tensor.StopGradient(t["w"]).Sum() + t["b"].Sum());
        Assert.False(broken.Passed);
        Assert.StartsWith("w[", broken.Worst!.Location);
    }

    [Fact]
    public void Adam_over_a_record_trains_it_exactly_as_the_flat_steps_do()
    {
        var optimizer = Optimizer.Adam(AdamOptions.Default.WithLearningRate(0.05));
        var model = Start();
        var state = optimizer.InitTree<float>(model);
        var flat = ParamTree.ToParams<float>(model);
        var flatState = optimizer.Init(flat);
        for (int step = 0; step < 12; step++)
        {
            var gradients = Grad.GradientTree(model, LossOf);
            (model, state) = optimizer.UpdateTree(model, gradients, state);
            (flat, flatState) = optimizer.Update(flat, Grad.Gradient(FlatLossOf, flat), flatState);
        }
        Assert.Equal(12, state.Step);
        Assert.True(LossOf(model).Item < 0.7f * LossOf(Start()).Item, $"loss {LossOf(Start()).Item} -> {LossOf(model).Item}");
        AssertSameBits(flat, ParamTree.ToParams<float>(model));
        AssertSameBits(flatState.ToParams(), state.ToParams());
        Assert.Contains("exp_avg.Heads.1.Bias", state.ToParams().Names);
    }

    [Fact]
    public void An_optimizer_step_refuses_a_gradient_tree_of_other_paths_or_shapes()
    {
        var optimizer = Optimizer.Sgd();
        var model = Start();
        var oneHead = model with { Heads = [model.Heads[0]] };
        var error = Assert.Throws<ArgumentException>(() => optimizer.UpdateTree(model, oneHead, optimizer.InitTree<float>(model)));
        Assert.Contains("missing: 'Heads.1.Weight' [1,8], 'Heads.1.Bias' [1]", error.Message);
    }

    [Fact]
    public void A_tree_checkpoint_holds_the_dotted_paths_and_loads_back_into_the_template_type()
    {
        var model = Grad.ValueAndGradTree(Start(), LossOf).Gradients;   // any values other than the template's
        string path = files.PathOf("tagger.safetensors");
        Checkpoint.SaveTree(path, model, new Dictionary<string, string> { ["epoch"] = "3" });
        Assert.Equal(ParamTree.ToParams<float>(model).Names, Checkpoint.ReadEntries(path).Select(e => e.Name));
        Assert.Equal("F32", Checkpoint.ReadEntries(path)[0].Dtype);
        Assert.Equal("3", Checkpoint.ReadMetadata(path)["epoch"]);
        var loaded = Checkpoint.LoadTree(path, Start());
        Assert.IsType<Tagger>(loaded);
        Assert.Equal(8, loaded.HiddenSize);
        AssertSameBits(ParamTree.ToParams<float>(model), ParamTree.ToParams<float>(loaded));
        AssertSameBits(Checkpoint.Load<float>(path), ParamTree.ToParams<float>(loaded));
    }

    [Fact]
    public void Loading_into_a_tree_of_other_paths_or_shapes_lists_every_difference()
    {
        string path = files.PathOf("tagger.safetensors");
        Checkpoint.SaveTree(path, Start());
        var wider = Start() with { Heads = [Head(Linear.Init<float>(8, 2, seed: 2))] };
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadTree(path, wider));
        Assert.Contains("'Heads.1.Weight'", error.Message);
        Assert.Contains("shape differs: 'Heads.0.Weight' is [1,8] in the file, [2,8] expected", error.Message);
    }

    [Fact]
    public void A_double_tree_is_saved_as_F64_and_its_element_type_is_read_from_its_tensors()
    {
        var tree = new[] { Params.Create("w", Tensor.Full(0.25, 2)) };
        string path = files.PathOf("double.safetensors");
        Checkpoint.SaveTree(path, tree);
        Assert.Equal(["0.w"], Checkpoint.ReadEntries(path).Select(e => e.Name));
        Assert.Equal("F64", Checkpoint.ReadEntries(path)[0].Dtype);
        Assert.Equal(0.25, Checkpoint.LoadTree(path, tree)[0]["w"].ToArray()[1]);
        var asFloat = new[] { Params.Create("w", Tensor.Full(0.5f, 2)) };
        Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadTree(path, asFloat));
        Assert.Equal(0.25f, Checkpoint.LoadTree(path, asFloat, convertDtype: true)[0]["w"].ToArray()[0]);
    }
}
