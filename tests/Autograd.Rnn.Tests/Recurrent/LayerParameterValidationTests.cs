namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// A layer runs with exactly the parameters and initial states it declares: a missing, extra or misshapen one is an
/// <see cref="ArgumentException"/> naming it, the expected shape and the actual one (issue 11, item 3).
/// </summary>
public class LayerParameterValidationTests
{
    private const int Input = 3, Hidden = 4, Batch = 2, Time = 5;

    private static Tensor<double> Inputs() => Tensor.RandomNormal<double>([Time, Batch, Input], 1);

    private static RecurrentLayer<double> Layer(string kind, RecurrentLayerOptions? options = null) => kind switch
    {
        "RNN" => RecurrentLayer.Rnn<double>(Input, Hidden, options),
        "LSTM" => RecurrentLayer.Lstm<double>(Input, Hidden, options),
        _ => RecurrentLayer.Gru<double>(Input, Hidden, options),
    };

    private static Cell<double> CellOf(string kind) => kind switch
    {
        "RNN" => Cells.Rnn<double>(),
        "LSTM" => Cells.Lstm<double>(),
        _ => Cells.Gru<double>(),
    };

    private static int Gates(string kind) => kind switch { "RNN" => 1, "LSTM" => 4, _ => 3 };

    // Every parameter of p except `name`.
    private static Params<double> Without(Params<double> p, string name)
    {
        var result = Params<double>.Empty;
        foreach (var (key, tensor) in p)
            if (key != name) result = result.Add(key, tensor);
        return result;
    }

    private static void AssertMentions(Exception error, params string[] parts)
    {
        foreach (var part in parts)
            Assert.True(error.Message.Contains(part, StringComparison.Ordinal), $"'{part}' is not in the message: {error.Message}");
    }

    [Theory]
    [InlineData("RNN")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void A_layer_without_bias_ih_but_with_bias_hh_names_the_missing_bias(string kind)
    {
        var layer = Layer(kind);
        var p = Without(layer.Initialize(1), "bias_ih_l0");
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "bias_ih_l0", $"[{Gates(kind) * Hidden}]", "missing");
    }

    [Theory]
    [InlineData("RNN")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void A_cell_without_bias_ih_but_with_bias_hh_names_the_missing_bias_in_a_step_and_in_a_scan(string kind)
    {
        var cell = CellOf(kind);
        var p = Without(cell.Initialize(Input, Hidden, 1), "bias_ih");
        var step = Assert.Throws<ArgumentException>(() => cell.Step(p, cell.ZeroState(Batch, Hidden), Tensor.Ones<double>(Batch, Input)));
        AssertMentions(step, "bias_ih", "bias_hh");
        var scan = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, p, cell.ZeroState(Batch, Hidden), Inputs()));
        AssertMentions(scan, "bias_ih", "bias_hh");
    }

    [Theory]
    [InlineData("RNN")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void A_cell_without_bias_hh_but_with_bias_ih_names_the_missing_bias(string kind)
    {
        var cell = CellOf(kind);
        var p = Without(cell.Initialize(Input, Hidden, 1), "bias_hh");
        var error = Assert.Throws<ArgumentException>(() => cell.Step(p, cell.ZeroState(Batch, Hidden), Tensor.Ones<double>(Batch, Input)));
        AssertMentions(error, "bias_hh", "bias_ih");
    }

    [Fact]
    public void Biases_of_one_element_are_refused_with_both_shapes()
    {
        var layer = Layer("LSTM");
        var one = Tensor.Ones<double>(1);
        var p = layer.Initialize(1).With("bias_ih_l0", one).With("bias_hh_l0", one);
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "bias_ih_l0", "bias_hh_l0", "[16]", "[1]");
    }

    [Fact]
    public void A_gru_bias_hh_of_13_elements_is_refused_with_both_shapes()
    {
        var layer = Layer("GRU");
        var p = layer.Initialize(1).With("bias_hh_l0", Tensor.Ones<double>(13));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "bias_hh_l0", "[12]", "[13]");
    }

    [Fact]
    public void An_lstm_c0_of_one_column_is_refused_naming_c0_and_both_shapes()
    {
        var layer = Layer("LSTM");
        var state = RecurrentState<double>.Of(Tensor.Zeros<double>(Batch, Hidden), Tensor.Zeros<double>(Batch, 1));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(layer.Initialize(1), Inputs(), initialStates: [state]));
        AssertMentions(error, "c0", "layer 0", $"[{Batch},{Hidden}]", $"[{Batch},1]");

        var cell = CellOf("LSTM");
        var scan = Assert.Throws<ArgumentException>(() => Recurrence.Scan(cell, cell.Initialize(Input, Hidden, 1), state, Inputs()));
        AssertMentions(scan, $"[{Batch},{Hidden}]", $"[{Batch},1]", $"hidden {Hidden}");
    }

    [Fact]
    public void A_second_layers_weight_in_a_one_layer_model_is_refused()
    {
        var layer = Layer("LSTM");
        var p = layer.Initialize(1).Add("weight_ih_l1", Tensor.Ones<double>(16, 4));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "weight_ih_l1", "[16,4]", "unexpected");
    }

    [Fact]
    public void Reverse_and_initial_state_names_are_refused_where_the_options_do_not_declare_them()
    {
        var layer = Layer("GRU");
        var p = layer.Initialize(1)
            .Add("weight_hh_l0_reverse", Tensor.Ones<double>(12, 4))
            .Add("initial_state0_l0", Tensor.Zeros<double>(Hidden));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "weight_hh_l0_reverse", "[12,4]", "initial_state0_l0", "[4]", "LearnInitialState");
    }

    [Fact]
    public void A_wrong_weight_hh_shape_names_weight_hh_l0_and_both_shapes()
    {
        var layer = Layer("GRU", new RecurrentLayerOptions { NumLayers = 2 });
        var p = layer.Initialize(1).With("weight_hh_l0", Tensor.Ones<double>(12, 5));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "weight_hh_l0", "[12,4]", "[12,5]");
    }

    [Fact]
    public void Every_problem_is_listed_in_one_exception()
    {
        var layer = Layer("LSTM", new RecurrentLayerOptions { NumLayers = 2 });
        var p = Without(layer.Initialize(1), "weight_ih_l1").With("bias_hh_l0", Tensor.Ones<double>(3)).Add("bias_ih_l2", Tensor.Ones<double>(16));
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p, Inputs()));
        AssertMentions(error, "weight_ih_l1", "[16,4]", "bias_hh_l0", "[16]", "[3]", "bias_ih_l2");
    }

    [Fact]
    public void A_wrong_h0_shape_names_the_layer_direction_and_both_shapes()
    {
        var layer = Layer("GRU", new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true });
        var good = RecurrentState<double>.Of(Tensor.Zeros<double>(Batch, Hidden));
        var bad = RecurrentState<double>.Of(Tensor.Zeros<double>(Batch, Hidden + 1));
        var error = Assert.Throws<ArgumentException>(() =>
            layer.Apply(layer.Initialize(1), Inputs(), initialStates: [good, good, good, bad]));
        AssertMentions(error, "h0", "layer 1 (reverse)", $"[{Batch},{Hidden}]", $"[{Batch},{Hidden + 1}]");
    }

    [Fact]
    public void A_batch_first_input_given_to_a_time_first_layer_is_reported_with_BatchFirst()
    {
        var layer = Layer("LSTM");
        var batchFirstInput = Tensor.RandomNormal<double>([Batch, Time, Input], 1);
        var lengths = Assert.Throws<ArgumentException>(() => layer.Apply(layer.Initialize(1), batchFirstInput, lengths: [5, 3]));
        AssertMentions(lengths, "BatchFirst", $"[{Batch},{Time},{Input}]");

        var zero = RecurrentState<double>.Of(Tensor.Zeros<double>(Batch, Hidden), Tensor.Zeros<double>(Batch, Hidden));
        var states = Assert.Throws<ArgumentException>(() => layer.Apply(layer.Initialize(1), batchFirstInput, initialStates: [zero]));
        AssertMentions(states, "BatchFirst", "h0", $"[{Time},{Hidden}]", $"[{Batch},{Hidden}]");
    }

    [Fact]
    public void A_feature_mismatch_says_how_the_input_was_read()
    {
        var layer = Layer("RNN", new RecurrentLayerOptions { BatchFirst = true });
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(layer.Initialize(1), Tensor.Ones<double>(Batch, Input, Time)));
        AssertMentions(error, "BatchFirst = true", $"[{Batch},{Input},{Time}]", $"{Input}");
    }

    [Fact]
    public void A_bias_free_layer_runs_without_biases_and_refuses_them()
    {
        var layer = RecurrentLayer.Lstm<double>(Input, Hidden, initialization: CellInitialization.Default.WithBias(false));
        var p = layer.Initialize(1);
        Assert.False(p.Contains("bias_ih_l0"));
        Assert.Equal(new Shape(Time, Batch, Hidden), layer.Apply(p, Inputs()).Output.Shape);
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p.Add("bias_hh_l0", Tensor.Ones<double>(16)), Inputs()));
        AssertMentions(error, "bias_hh_l0", "[16]", "unexpected");
    }

    [Fact]
    public void Names_without_a_layer_suffix_belong_to_other_modules_and_are_ignored()
    {
        var layer = Layer("GRU");
        var p = layer.Initialize(1).Concat(Linear.Init<double>(Hidden, 2, 3).WithPrefix("readout.")).Add("input", Inputs());
        Assert.Equal(new Shape(Time, Batch, Hidden), layer.Apply(p, p["input"]).Output.Shape);
    }

    [Theory]
    [InlineData("RNN", true)]
    [InlineData("LSTM", true)]
    [InlineData("GRU", true)]
    [InlineData("LSTM", false)]
    public void A_built_in_cell_declares_exactly_the_names_and_shapes_it_creates(string kind, bool bias)
    {
        var init = CellInitialization.Default.WithBias(bias);
        var cell = kind switch { "RNN" => Cells.Rnn<double>(initialization: init), "LSTM" => Cells.Lstm<double>(init), _ => Cells.Gru<double>(initialization: init) };
        var created = cell.Initialize(Input, Hidden, 1).Select(p => new ParameterShape(p.Key, p.Value.Shape));
        Assert.Equal(created, cell.ParameterShapes(Input, Hidden));
        var layer = new RecurrentLayer<double>(cell, Input, Hidden, new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true, LearnInitialState = true });
        Assert.Equal(layer.Initialize(1).Select(p => new ParameterShape(p.Key, p.Value.Shape)), layer.ParameterShapes);
    }

    [Fact]
    public void A_user_cell_is_held_to_the_parameters_its_initializer_declares()
    {
        var cell = Cell.FromFunction<double>("scaled tanh",
            (p, h, x) => Tensor.Tanh(Tensor.MatMulTransposeB(x, p["w"]) + Tensor.MatMulTransposeB(h, p["u"]) * p["scale"]),
            (inputSize, hiddenSize, seed) => Params<double>.Empty
                .Add("w", Tensor.RandomNormal<double>([hiddenSize, inputSize], seed))
                .Add("u", Tensor.RandomNormal<double>([hiddenSize, hiddenSize], seed + 1))
                .Add("scale", Tensor.Ones<double>(hiddenSize)));
        var layer = new RecurrentLayer<double>(cell, Input, Hidden);
        var p = layer.Initialize(1);
        Assert.Equal(new Shape(Time, Batch, Hidden), layer.Apply(p, Inputs()).Output.Shape);
        var error = Assert.Throws<ArgumentException>(() => layer.Apply(p.With("scale_l0", Tensor.Ones<double>(1)), Inputs()));
        AssertMentions(error, "scale_l0", "[4]", "[1]");
    }
}
