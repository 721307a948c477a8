namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Forward mode: Grad.Jvp gives J·v in one pass, its levels nest with reverse levels in either order without mixing
/// perturbations, forward over reverse gives the same Hessian-vector products as reverse over reverse (through an LSTM
/// too), and the forward-mode Jacobian agrees with the reverse-mode one.
/// </summary>
public class ForwardModeTests
{
    private static readonly Tensor<double> W = Tensor.RandomNormal<double>([4, 6], 61, standardDeviation: 0.6);
    private static readonly Tensor<double> X0 = Tensor.RandomNormal<double>([2, 3], 62);
    private static readonly Tensor<double> V = Tensor.RandomNormal<double>([2, 3], 63);

    // [2,3] -> [4], every output depending on every input.
    private static Tensor<double> Vector(Tensor<double> x) =>
        Tensor.Reshape(Tensor.Tanh(W.MatMul(Tensor.Reshape(x, 6, 1))), 4) * Tensor.Sum(Tensor.Exp(x * 0.3));

    private static Tensor<double> Scalar(Tensor<double> x) => Tensor.Sum(Vector(x)) + Tensor.Sum(x * x * x) * 0.1;

    [Fact]
    public void Jvp_is_the_Jacobian_times_the_tangent()
    {
        var result = Grad.Jvp(Vector, X0, V);
        var expected = Tensor.Reshape(Tensor.Reshape(Grad.Jacobian(Vector, X0, JacobianMode.Reverse), 4, 6).MatMul(Tensor.Reshape(V, 6, 1)), 4);
        Assert.Equal(Vector(X0).ToArray(), result.Output.ToArray());
        Assert.True(result.Tangent.AllClose(expected, 1e-12, 1e-13), $"{result.Tangent} vs {expected}");
        Assert.False(result.Output.IsTraced || result.Tangent.IsTraced);
    }

    [Fact]
    public void Jvp_of_a_scalar_polynomial_is_its_derivative_times_the_tangent()
    {
        // d/dx (x³ + 2x) = 3x² + 2 = 14 at x = 2; times the tangent 0.5.
        var result = Grad.Jvp(x => x * x * x + 2.0 * x, Tensor.Scalar(2.0), Tensor.Scalar(0.5));
        Assert.Equal(12.0, result.Output.Item);
        Assert.Equal(7.0, result.Tangent.Item, 1e-15);
    }

    [Fact]
    public void Jvp_of_a_function_that_ignores_its_input_is_zero()
    {
        var constant = Tensor.FromArray(new[] { 1.0, 2.0 });
        var result = Grad.Jvp(_ => constant * 3.0, X0, V);
        Assert.Equal(new[] { 0.0, 0.0 }, result.Tangent.ToArray());
    }

    [Fact]
    public void Jvp_with_params_sums_the_terms_of_every_parameter()
    {
        // f = w²·b: J·v = 2w·b·v_w + w²·v_b.
        var parameters = Params<double>.Empty.Add("w", Tensor.FromArray(new[] { 1.0, 2.0 })).Add("b", Tensor.Scalar(1.5));
        var tangents = Params<double>.Empty.Add("b", Tensor.Scalar(-1.0)).Add("w", Tensor.FromArray(new[] { 0.5, 3.0 }));
        var result = Grad.Jvp(p => p["w"] * p["w"] * p["b"], parameters, tangents);
        Assert.Equal(new[] { 2 * 1.0 * 1.5 * 0.5 - 1.0, 2 * 2.0 * 1.5 * 3.0 - 4.0 }, result.Tangent.ToArray());
        Assert.Equal(new[] { 1.5, 6.0 }, result.Output.ToArray());
    }

    [Fact]
    public void Jvp_rejects_a_tangent_of_another_shape_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => Grad.Jvp(Vector, X0, Tensor.Zeros<double>(3, 2)));
        Assert.Contains("Grad.Jvp", e.Message);
        Assert.Contains("[3,2]", e.Message);
        var parameters = Params<double>.Empty.Add("w", X0);
        var missing = Assert.Throws<ArgumentException>(() => Grad.Jvp(p => p["w"], parameters, Params<double>.Empty.Add("u", X0)));
        Assert.Contains("'w'", missing.Message);
    }

    [Fact]
    public void Piecewise_constant_ops_have_zero_tangents()
    {
        var x = Tensor.FromArray(new[] { -1.0, 0.5, 2.0 });
        var result = Grad.Jvp(y => Tensor.Greater(y, Tensor.Scalar(0.0)) + Tensor.StopGradient(y) * 2.0, x, Tensor.OnesLike(x));
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, result.Tangent.ToArray());
        int[]? indices = null;
        Grad.Jvp(y => { indices = y.ArgMax(); return y; }, x, Tensor.OnesLike(x));
        Assert.Equal(new[] { 2 }, indices);
    }

    // ---- nesting ----

    [Fact]
    public void Forward_over_reverse_Hvp_equals_reverse_over_reverse()
    {
        var forwardOverReverse = Grad.Jvp(x => Grad.Gradient(Scalar, x), X0, V).Tangent;
        var reverseOverReverse = Grad.Hvp(Scalar, X0, V).HessianVector;
        Assert.True(forwardOverReverse.AllClose(reverseOverReverse, 1e-12, 1e-13), $"{forwardOverReverse} vs {reverseOverReverse}");
    }

    [Fact]
    public void Reverse_over_forward_Hvp_equals_reverse_over_reverse()
    {
        // ∇ₓ⟨∇f(x), v⟩ = ∇ₓ (J_f v) for scalar f: the gradient of the directional derivative.
        var reverseOverForward = Grad.Gradient(x => Grad.Jvp(Scalar, x, V).Tangent, X0);
        var reverseOverReverse = Grad.Hvp(Scalar, X0, V).HessianVector;
        Assert.True(reverseOverForward.AllClose(reverseOverReverse, 1e-12, 1e-13), $"{reverseOverForward} vs {reverseOverReverse}");
    }

    [Fact]
    public void Forward_over_forward_gives_second_directional_derivatives()
    {
        // d²/dt² sin(x + t·v) = −sin(x)·v², and nested levels keep the two perturbations apart.
        var second = Grad.Jvp(x => Grad.Jvp(Tensor.Sin, x, Tensor.Scalar(3.0)).Tangent, Tensor.Scalar(0.7), Tensor.Scalar(3.0)).Tangent;
        Assert.Equal(-Math.Sin(0.7) * 9.0, second.Item, 1e-14);
        // Perturbation confusion (Siskind and Pearlmutter): d/dx [x · d/dy (x + y)] at y = 1 is 1, not 2.
        var x0 = Tensor.Scalar(2.0);
        var confused = Grad.Jvp(x => x * Grad.Jvp(y => x + y, Tensor.Scalar(1.0), Tensor.Scalar(1.0)).Tangent, x0, Tensor.Scalar(1.0)).Tangent;
        Assert.Equal(1.0, confused.Item);
    }

    [Fact]
    public void Reverse_inside_forward_inside_reverse_gives_third_derivatives()
    {
        // d³/dx³ x⁴ = 24x, with the middle derivative in forward mode.
        var third = Grad.Gradient(a => Grad.Jvp(b => Grad.Gradient(c => c * c * c * c, b), a, Tensor.Scalar(1.0)).Tangent, Tensor.Scalar(1.5));
        Assert.Equal(36.0, third.Item, 1e-12);
    }

    [Fact]
    public void A_dual_that_escapes_its_Jvp_reads_as_its_value()
    {
        Tensor<double>? escaped = null;
        Grad.Jvp(x => escaped = x * 2.0, X0, V);
        Assert.False(escaped!.IsTraced);
        // Inside a later Jvp the escaped tensor is a constant: only the new input moves.
        var result = Grad.Jvp(x => x + escaped, X0, V);
        Assert.Equal(V.ToArray(), result.Tangent.ToArray());
    }

    [Fact]
    public void Forward_over_reverse_Hvp_through_an_LSTM_layer_equals_Grad_Hvp()
    {
        var layer = RecurrentLayer.Lstm<double>(2, 3);
        var weights = layer.Initialize(64);
        var inputs = Tensor.RandomNormal<double>([4, 2, 2], 65);
        var readout = Tensor.RandomNormal<double>([4, 2, 3], 66);
        Tensor<double> Loss(Params<double> p) => Tensor.Sum(layer.Apply(p, inputs).Output * readout);
        var direction = weights.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), 67));
        var expected = Grad.Hvp(Loss, weights, direction).HessianVector;
        var names = weights.Names;
        // The gradient flattened into one vector, differentiated along the direction in forward mode.
        var flat = Grad.Jvp(p => Tensor.Concat(names.Select(n => Grad.Gradient(Loss, p)[n].Reshape(-1)).ToArray(), 0), weights, direction).Tangent;
        int offset = 0;
        foreach (var name in names)
        {
            var piece = Tensor.Narrow(flat, 0, offset, weights[name].Size).Reshape(weights[name].Shape.ToArray());
            offset += weights[name].Size;
            Assert.True(piece.AllClose(expected[name], 1e-10, 1e-12), $"{name}: {piece} vs {expected[name]}");
        }
    }

    [Fact]
    public void Forward_mode_through_Recurrence_Scan_runs_eagerly_and_matches_finite_differences()
    {
        var layer = RecurrentLayer.Lstm<double>(2, 3);
        var weights = layer.Initialize(68);
        var inputs = Tensor.RandomNormal<double>([5, 2, 2], 69);
        Tensor<double> Outputs(Params<double> p) => layer.Apply(p, inputs).Output;
        var result = GradCheck.JvpCheck(Outputs, weights);
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Checked >= 8 * 5 * 2 * 3);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Forward_mode_through_Scan_with_lengths_or_a_hook_gives_the_eager_tangent(bool withLengths, bool withHook)
    {
        var cell = Cells.Lstm<double>();
        var weights = cell.Initialize(2, 3, 70);
        var inputs = Tensor.RandomNormal<double>([4, 2, 2], 71);
        var start = cell.ZeroState(2, 3);
        int[]? lengths = withLengths ? [4, 2] : null;
        Func<int, RecurrentState<double>, RecurrentState<double>>? hook =
            withHook ? (t, state) => RecurrentState<double>.Of([state.Hidden * 0.9, .. state.Skip(1)]) : null;
        Tensor<double> Outputs(Params<double> p) =>
            Recurrence.Scan(cell, p, start, inputs, lengths, afterStep: hook).Outputs;
        var direction = weights.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), 72));
        // Under an enclosing Grad level too, where a planned unroll or planned step would otherwise be considered.
        var nested = Grad.Gradient(q => Tensor.Sum(Grad.Jvp(Outputs, weights, direction).Tangent) * Tensor.Sum(q), Tensor.Scalar(1.0));
        var planned = Grad.Jvp(Outputs, weights, direction);
        JvpResult<double> eager;
        using (Compile.Eagerly()) eager = Grad.Jvp(Outputs, weights, direction);
        Assert.Equal(eager.Output.ToArray(), planned.Output.ToArray());
        Assert.Equal(eager.Tangent.ToArray(), planned.Tangent.ToArray());
        Assert.Equal(Tensor.Sum(eager.Tangent).Item, nested.Item, 1e-12);
    }

    [Fact]
    public void A_compiled_function_runs_eagerly_on_duals_and_keeps_its_plan_for_constants()
    {
        var compiled = Compile.Function<double>(x => Tensor.Tanh(x * 2.0) * x);
        var planned = compiled(X0);                                  // recorded on a constant input
        var result = Grad.Jvp(compiled, X0, V);
        var eager = Grad.Jvp(x => Tensor.Tanh(x * 2.0) * x, X0, V);
        Assert.Equal(eager.Tangent.ToArray(), result.Tangent.ToArray());
        Assert.Equal(planned.ToArray(), result.Output.ToArray());
        // A closure over a dual: the plan recorded inside the Jvp cannot replay it, so the tangent still flows.
        var closing = Grad.Jvp(s => Compile.Function<double>(x => x * s)(X0).Sum(), Tensor.Scalar(2.0), Tensor.Scalar(1.0));
        Assert.Equal(X0.Sum().Item, closing.Tangent.Item, 1e-14);
    }

    [Fact]
    public void Forward_mode_works_under_anomaly_detection()
    {
        using (Anomaly.Detect())
        {
            var result = Grad.Jvp(Vector, X0, V);
            Assert.True(result.Tangent.AllClose(Grad.Jvp(Vector, X0, V).Tangent));
            var bad = Assert.Throws<AnomalyException>(() => Grad.Jvp(x => Tensor.Log(x - 5.0), X0, V));
            Assert.Contains("Log", bad.Message);
        }
    }

    // ---- Jacobian in forward mode ----

    [Fact]
    public void Forward_and_reverse_Jacobians_agree()
    {
        var forward = Grad.Jacobian(Vector, X0, JacobianMode.Forward);
        var reverse = Grad.Jacobian(Vector, X0, JacobianMode.Reverse);
        Assert.Equal(new Shape(4, 2, 3), forward.Shape);
        Assert.True(forward.AllClose(reverse, 1e-12, 1e-13), $"{forward} vs {reverse}");
        // A tall function (2 inputs, 6 outputs): Auto picks forward mode, with the same result.
        Tensor<double> Tall(Tensor<double> x) => Tensor.Tanh(W.Narrow(1, 0, 2).MatMul(Tensor.Reshape(x, 2, 1)) * x.Sum());
        var x2 = Tensor.FromArray(new[] { 0.3, -0.4 });
        var auto = Grad.Jacobian(Tall, x2);
        Assert.True(auto.AllClose(Grad.Jacobian(Tall, x2, JacobianMode.Reverse), 1e-12, 1e-13));
        Assert.Equal(new Shape(4, 1, 2), auto.Shape);
    }

    [Fact]
    public void Forward_Jacobian_handles_scalar_and_empty_inputs()
    {
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, Grad.Jacobian(x => x * Tensor.FromArray(new[] { 1.0, 2.0, 3.0 }), Tensor.Scalar(2.0), JacobianMode.Forward).ToArray());
        Assert.Equal(new Shape(2, 0), Grad.Jacobian(_ => Tensor.Zeros<double>(2), Tensor.Zeros<double>(0), JacobianMode.Forward).Shape);
    }

    [Fact]
    public void Forward_Jacobian_refuses_a_result_too_large_after_one_column_and_names_a_null_result()
    {
        int calls = 0;
        var error = Assert.Throws<ArgumentException>(() => Grad.Jacobian(y => { calls++; return y * 2.0; }, Tensor.Zeros<double>(50_000), JacobianMode.Forward));
        Assert.Equal(1, calls);
        Assert.Contains("Grad.Jacobian: the Jacobian [50000,50000]", error.Message);
        var nullResult = Assert.Throws<ArgumentException>(() => Grad.Jacobian(_ => null!, X0, JacobianMode.Forward));
        Assert.Contains("Grad.Jacobian", nullResult.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Grad.Jacobian(Vector, X0, (JacobianMode)7));
    }

    [Fact]
    public void Forward_Jacobian_is_differentiable_by_an_enclosing_Grad()
    {
        // Σ of the Jacobian of x ↦ x² (diag 2x) is Σ 2x: its gradient is 2 everywhere.
        var x = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 });
        var gradient = Grad.Gradient(y => Tensor.Sum(Grad.Jacobian(z => z * z, y, JacobianMode.Forward)), x);
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, gradient.ToArray());
    }
}
