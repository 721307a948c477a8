namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A training Scan keeps the recorded plans of a cell whose step captures nothing, and records again for one that captures
/// anything: a captured tensor or setting may change between calls, and the plan must never run a stale one.
/// </summary>
public class StepVjpPlansTests
{
    private static Tensor<double>[] Arguments(Params<double> parameters, int batch, int hidden, int parts, int width, ulong seed)
    {
        var arguments = new List<Tensor<double>>(parameters.Tensors());
        for (int p = 0; p < parts; p++) arguments.Add(Tensor.RandomNormal<double>([batch, hidden], seed + (ulong)p));
        arguments.Add(Tensor.RandomNormal<double>([batch, width], seed + 10));
        return [.. arguments];
    }

    [Fact]
    public void The_lstm_step_is_recorded_once_per_shape_and_a_capturing_step_on_every_call()
    {
        var lstm = Cells.Lstm<double>();
        var parameters = lstm.Initialize(3, 4, 1);
        var first = StepVjpPlans<double>.For(lstm, parameters, Arguments(parameters, 2, 4, 2, 16, 5));
        Assert.NotNull(first);
        Assert.Same(first, StepVjpPlans<double>.For(lstm, parameters, Arguments(parameters, 2, 4, 2, 16, 6)));
        Assert.NotSame(first, StepVjpPlans<double>.For(lstm, parameters, Arguments(parameters, 3, 4, 2, 16, 6))); // another batch

        var scale = Tensor.Scalar(0.5);
        var capturing = Cell.FromFunction<double>("scaled", (p, h, x) => Tensor.Tanh(x + h.MatMul(p["u"]) * scale),
            (_, hidden, seed) => Params<double>.Empty.Add("u", Tensor.RandomNormal<double>([hidden, hidden], seed)));
        var u = capturing.Initialize(4, 4, 2);
        var once = StepVjpPlans<double>.For(capturing, u, Arguments(u, 2, 4, 1, 4, 7));
        Assert.NotNull(once);
        Assert.NotSame(once, StepVjpPlans<double>.For(capturing, u, Arguments(u, 2, 4, 1, 4, 7)));
    }

    [Theory]
    [InlineData("rnn tanh")]
    [InlineData("rnn relu")]
    [InlineData("gru")]
    [InlineData("gru cho")]
    public void Every_built_in_cell_is_recorded_once_per_shape(string kind)
    {
        var cell = kind switch
        {
            "rnn tanh" => Cells.Rnn<double>(),
            "rnn relu" => Cells.Rnn<double>(Nonlinearity.Relu),
            "gru" => Cells.Gru<double>(),
            _ => Cells.Gru<double>(GruVariant.Cho),
        };
        int gates = kind.StartsWith("gru", StringComparison.Ordinal) ? 3 : 1;
        var parameters = cell.Initialize(3, 4, 1);
        var first = StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, 1, gates * 4, 5));
        Assert.NotNull(first);
        Assert.Same(first, StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, 1, gates * 4, 6)));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void The_recurrent_weights_gradient_is_left_for_one_product_over_all_steps(string kind)
    {
        var (cell, parts, gates) = kind switch
        {
            "lstm" => (Cells.Lstm<double>(), 2, 4),
            "gru" => (Cells.Gru<double>(), 1, 3),
            _ => (Cells.Rnn<double>(), 1, 1),
        };
        var parameters = cell.Initialize(3, 4, 1);
        var plan = StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, parts, gates * 4, 5))!;
        var names = parameters.Names.ToList();
        // weight_hh's gradient is Σ_t dgates_tᵀ·h_t: the step hands back dgates_t [batch, gates·hidden], contracted with h.
        Assert.Equal(parameters.Count, plan.ContractedWith[names.IndexOf("weight_hh")]);
        Assert.False(plan.ArgumentIsLeft[names.IndexOf("weight_hh")]);
        Assert.Equal(new[] { 2, 4 * gates }, plan.Backward.OutputShape(names.IndexOf("weight_hh")).ToArray());
        Assert.Equal(-1, plan.ContractedWith[names.IndexOf("bias_hh")]);
    }

    [Fact]
    public void A_function_cell_that_closes_over_nothing_is_recorded_once_per_shape()
    {
        var cell = Cell.FromFunction<double>("tanh", static (p, h, x) => Tensor.Tanh(x.MatMul(p["w"]) + h.MatMul(p["u"])),
            static (input, hidden, seed) => Params<double>.Empty.Add("w", Tensor.RandomNormal<double>([input, hidden], seed))
                .Add("u", Tensor.RandomNormal<double>([hidden, hidden], seed + 1)));
        var parameters = cell.Initialize(3, 4, 1);
        var first = StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, 1, 3, 5));
        Assert.NotNull(first);
        Assert.Same(first, StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, 1, 3, 6)));
    }

    [Fact]
    public void A_users_weights_on_the_right_of_their_products_are_left_for_one_product_too()
    {
        var cell = Cell.FromFunction<double>("tanh", (p, h, x) => Tensor.Tanh(x.MatMul(p["w"]) + h.MatMul(p["u"]) + p["b"]),
            (input, hidden, seed) => Params<double>.Empty.Add("w", Tensor.RandomNormal<double>([input, hidden], seed))
                .Add("u", Tensor.RandomNormal<double>([hidden, hidden], seed + 1)).Add("b", Tensor.Zeros<double>(hidden)));
        var parameters = cell.Initialize(3, 4, 1);
        var plan = StepVjpPlans<double>.For(cell, parameters, Arguments(parameters, 2, 4, 1, 3, 5))!;
        // w's gradient is Σ_t x_tᵀ·g_t and u's Σ_t h_tᵀ·g_t: the step hands back g_t [batch, hidden] for each.
        Assert.Equal((parameters.Count + 1, true), (plan.ContractedWith[0], plan.ArgumentIsLeft[0]));
        Assert.Equal((parameters.Count, true), (plan.ContractedWith[1], plan.ArgumentIsLeft[1]));
        Assert.Equal(-1, plan.ContractedWith[2]);
        Assert.Equal(new[] { 2, 4 }, plan.Backward.OutputShape(0).ToArray());
    }

    [Fact]
    public void Repeated_training_steps_with_one_lstm_layer_give_the_eager_gradients_every_time()
    {
        var layer = RecurrentLayer.Lstm<double>(3, 5, RecurrentLayerOptions.Default.WithBidirectional(true));
        var parameters = layer.Initialize(seed: 1);
        for (int step = 0; step < 3; step++)
        {
            var input = Tensor.RandomNormal<double>([4 + step % 2, 2, 3], 10 + (ulong)step);
            Tensor<double> Loss(Params<double> p) => Tensor.Mean(layer.Apply(p, input).Output * layer.Apply(p, input).Output);
            var planned = Grad.ValueAndGrad(Loss, parameters);
            GradientResult<double> eager;
            using (Compile.Eagerly()) eager = Grad.ValueAndGrad(Loss, parameters);
            Assert.True(Bits.Same(planned.Value, eager.Value), $"step {step}");
            foreach (var name in eager.Gradients.Names)
                Assert.True(planned.Gradients[name].AllClose(eager.Gradients[name], 1e-10, 1e-12), $"step {step}, {name}");
            parameters = parameters.Zip(planned.Gradients, (w, g) => w - 0.1 * g);
        }
    }

    [Fact]
    public void A_cell_that_captures_a_tensor_sees_its_new_value_on_the_next_call()
    {
        var scale = Tensor.Scalar(0.5);
        var cell = Cell.FromFunction<double>("scaled", (p, h, x) => Tensor.Tanh(x.MatMul(p["w"]) + h.MatMul(p["u"]) * scale),
            (input, hidden, seed) => Params<double>.Empty.Add("w", Tensor.RandomNormal<double>([input, hidden], seed))
                .Add("u", Tensor.RandomNormal<double>([hidden, hidden], seed + 1)));
        var parameters = cell.Initialize(3, 4, 1);
        var inputs = Tensor.RandomNormal<double>([5, 2, 3], 2);
        Tensor<double> Loss(Params<double> p) => Recurrence.Scan(cell, p, cell.ZeroState(2, 4), inputs).Outputs.Sum();
        foreach (var value in new[] { 0.5, -2.0 })
        {
            scale = Tensor.Scalar(value);
            var planned = Grad.Gradient(Loss, parameters);
            Params<double> eager;
            using (Compile.Eagerly()) eager = Grad.Gradient(Loss, parameters);
            foreach (var name in eager.Names)
                Assert.True(planned[name].AllClose(eager[name], 1e-10, 1e-12), $"scale {value}, {name}");
        }
    }
}
