namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Loading against what a model expects: every missing, unexpected and mis-shaped name is reported in one message;
/// dtypes are converted only when asked; groups (model plus optimizer state) share one file.
/// </summary>
public sealed class CheckpointExpectedTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private static Params<float> Model(int hidden = 4, int input = 3) => Params<float>.Empty
        .Add("weight_ih_l0", Tensor.RandomNormal<float>([hidden, input], seed: 1))
        .Add("weight_hh_l0", Tensor.RandomNormal<float>([hidden, hidden], seed: 2))
        .Add("bias_ih_l0", Tensor.RandomNormal<float>([hidden], seed: 3))
        .Add("bias_hh_l0", Tensor.RandomNormal<float>([hidden], seed: 4));

    [Fact]
    public void Loading_against_the_expected_parameters_returns_them_in_the_expected_order()
    {
        string path = files.PathOf("m.safetensors");
        var saved = Model();
        Checkpoint.Save(path, saved);
        var template = Params<float>.Empty
            .Add("bias_hh_l0", Tensor.Zeros<float>(4)).Add("bias_ih_l0", Tensor.Zeros<float>(4))
            .Add("weight_hh_l0", Tensor.Zeros<float>(4, 4)).Add("weight_ih_l0", Tensor.Zeros<float>(4, 3));
        var loaded = Checkpoint.Load(path, template);
        Assert.Equal(template.Names, loaded.Names);
        foreach (var name in saved.Names) Assert.Equal(saved[name].ToArray(), loaded[name].ToArray());
    }

    [Fact]
    public void Every_missing_unexpected_and_mis_shaped_name_is_reported_in_one_message()
    {
        string path = files.PathOf("m.safetensors");
        Checkpoint.Save(path, Model().Add("extra_a", Tensor.Ones<float>(1)).Add("extra_b", Tensor.Ones<float>(1)));
        var expected = Params<float>.Empty
            .Add("weight_ih_l0", Tensor.Zeros<float>(4, 5))      // input size differs
            .Add("weight_hh_l0", Tensor.Zeros<float>(4, 4))
            .Add("bias_ih_l0", Tensor.Zeros<float>(8))           // hidden size differs
            .Add("bias_hh_l0", Tensor.Zeros<float>(4))
            .Add("weight_ih_l0_reverse", Tensor.Zeros<float>(4, 3))
            .Add("bias_ih_l0_reverse", Tensor.Zeros<float>(4));

        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, expected));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains("(4 problems)", error.Message);
        Assert.Contains("missing: 'weight_ih_l0_reverse', 'bias_ih_l0_reverse'", error.Message);
        Assert.Contains("unexpected: 'extra_a', 'extra_b'", error.Message);
        Assert.Contains("shape differs: 'weight_ih_l0' is [4,3] in the file, [4,5] expected", error.Message);
        Assert.Contains("shape differs: 'bias_ih_l0' is [4] in the file, [8] expected", error.Message);
        Assert.Equal(["weight_ih_l0_reverse", "bias_ih_l0_reverse"], error.Missing);
        Assert.Equal(["extra_a", "extra_b"], error.Unexpected);
        Assert.Equal(["weight_ih_l0", "bias_ih_l0"], error.MismatchedShapes);
    }

    [Fact]
    public void A_scalar_and_a_one_element_vector_are_different_shapes()
    {
        string path = files.PathOf("s.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("step", Tensor.Scalar(3f)));
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, Params<float>.Empty.Add("step", Tensor.Zeros<float>(1))));
        Assert.Contains("'step' is [] in the file, [1] expected", error.Message);
    }

    [Fact]
    public void Loading_f64_as_float_is_refused_unless_conversion_is_asked_for()
    {
        string path = files.PathOf("d.safetensors");
        Checkpoint.Save(path, Params<double>.Empty.Add("w", Tensor.FromArray([1.0 / 3, 1e300, double.NaN])).Add("b", Tensor.Zeros<double>(1)));

        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load<float>(path));
        Assert.Contains("dtype differs: 'w', 'b' are F64 in the file but Single (F32) was asked for; pass convertDtype: true", error.Message);

        var converted = Checkpoint.Load<float>(path, convertDtype: true)["w"].ToArray();
        Assert.Equal((float)(1.0 / 3), converted[0]);
        Assert.Equal(float.PositiveInfinity, converted[1]); // rounded to nearest: out of float range
        Assert.True(float.IsNaN(converted[2]));
    }

    [Fact]
    public void Loading_f32_as_double_is_refused_unless_conversion_is_asked_for_and_then_widens_exactly()
    {
        string path = files.PathOf("f.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("w", Tensor.FromArray([0.1f, -0f])));
        var template = Params<double>.Empty.Add("w", Tensor.Zeros<double>(2));
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, template));
        Assert.Contains("'w' is F32 in the file but Double (F64) was asked for", error.Message);

        var widened = Checkpoint.Load(path, template, convertDtype: true)["w"].ToArray();
        Assert.Equal((double)0.1f, widened[0]);
        Assert.True(double.IsNegative(widened[1]) && widened[1] == 0);
    }

    [Fact]
    public void Dtype_shape_and_name_problems_are_reported_together()
    {
        string path = files.PathOf("d.safetensors");
        Checkpoint.Save(path, Params<double>.Empty.Add("w", Tensor.Zeros<double>(2)).Add("x", Tensor.Zeros<double>(1)));
        var error = Assert.Throws<CheckpointMismatchException>(() =>
            Checkpoint.Load(path, Params<float>.Empty.Add("w", Tensor.Zeros<float>(3)).Add("y", Tensor.Zeros<float>(1))));
        Assert.Contains("missing: 'y'", error.Message);
        Assert.Contains("unexpected: 'x'", error.Message);
        Assert.Contains("shape differs: 'w'", error.Message);
        Assert.Contains("dtype differs: 'w' is F64", error.Message);
    }

    [Fact]
    public void Model_and_optimizer_state_are_saved_and_loaded_as_groups_of_one_file()
    {
        var model = Model();
        var optimizer = model.Map(t => t * 0.5f).WithPrefix("exp_avg.").Add("step", Tensor.Scalar(10f));
        string path = files.PathOf("train.safetensors");
        var groups = new Dictionary<string, Params<float>> { [""] = model, ["optimizer"] = optimizer };
        Checkpoint.SaveGroups(path, groups, new Dictionary<string, string> { ["epoch"] = "5" });

        Assert.Contains("optimizer.exp_avg.weight_ih_l0", Checkpoint.Load<float>(path).Names);
        Assert.Contains("optimizer.step", Checkpoint.Load<float>(path).Names);
        Assert.Equal(optimizer.Names, Checkpoint.Load<float>(path).Select("optimizer.").Names);

        var loaded = Checkpoint.LoadGroups(path, groups);
        Assert.Equal(["", "optimizer"], loaded.Keys);
        Assert.Equal(model.Names, loaded[""].Names);
        Assert.Equal(optimizer.Names, loaded["optimizer"].Names);
        Assert.Equal(10f, loaded["optimizer"]["step"].Item);
        Assert.Equal(model["weight_hh_l0"].ToArray(), loaded[""]["weight_hh_l0"].ToArray());
        Assert.Equal("5", Checkpoint.ReadMetadata(path)["epoch"]);
    }

    [Fact]
    public void Loading_groups_reports_mismatches_with_their_prefixed_names()
    {
        string path = files.PathOf("train.safetensors");
        Checkpoint.SaveGroups(path, new Dictionary<string, Params<float>> { [""] = Model(), ["optimizer"] = Params<float>.Empty.Add("step", Tensor.Scalar(1f)) });
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadGroups(path,
            new Dictionary<string, Params<float>> { [""] = Model(), ["optimizer"] = Params<float>.Empty.Add("lr", Tensor.Scalar(1f)) }));
        Assert.Equal(["optimizer.lr"], error.Missing);
        Assert.Equal(["optimizer.step"], error.Unexpected);
    }

    [Fact]
    public void Groups_whose_stored_names_collide_are_refused()
    {
        var groups = new[]
        {
            KeyValuePair.Create("", Params<float>.Empty.Add("optimizer.step", Tensor.Scalar(1f))),
            KeyValuePair.Create("optimizer", Params<float>.Empty.Add("step", Tensor.Scalar(2f))),
        };
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.SaveGroups(files.PathOf("x.safetensors"), groups));
        Assert.Contains("'optimizer.step'", error.Message);
        Assert.Empty(files.OtherFiles());

        var twice = new[] { KeyValuePair.Create("a", Params<float>.Empty), KeyValuePair.Create("a", Params<float>.Empty) };
        Assert.Contains("the group 'a' is given twice", Assert.Throws<ArgumentException>(() => Checkpoint.SaveGroups(files.PathOf("y.safetensors"), twice)).Message);
    }
}
