namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Function transforms in reverse mode: Jacobians, Hessians, Hessian-vector products and auxiliary outputs, each
/// checked against finite differences or against the nested-Grad form it abbreviates.
/// </summary>
public class TransformTests
{
    private static readonly Tensor<double> W = Tensor.RandomNormal<double>([4, 6], 41, standardDeviation: 0.6);
    private static readonly Tensor<double> X0 = Tensor.RandomNormal<double>([2, 3], 42);
    private static readonly Tensor<double> V = Tensor.RandomNormal<double>([2, 3], 43);

    // [2,3] -> [4]: every output depends on every input, through a product, so no Jacobian entry is structurally zero.
    private static Tensor<double> Vector(Tensor<double> x) =>
        Tensor.Reshape(Tensor.Tanh(W.MatMul(Tensor.Reshape(x, 6, 1))), 4) * Tensor.Sum(Tensor.Exp(x * 0.3));

    // [2,3] -> scalar, with cross terms between all inputs.
    private static Tensor<double> Scalar(Tensor<double> x) => Tensor.Sum(Vector(x)) + Tensor.Sum(x * x * x) * 0.1;

    private static Tensor<double> Shifted(Tensor<double> x, int index, double by)
    {
        var values = x.ToArray();
        values[index] += by;
        return Tensor.FromArray(values, x.Shape.ToArray());
    }

    // ---- Jacobian ----

    [Fact]
    public void Jacobian_has_the_output_shape_then_the_input_shape()
    {
        Assert.Equal(new Shape(4, 2, 3), Grad.Jacobian(Vector, X0).Shape);
        Assert.Equal(new Shape(2, 3), Grad.Jacobian(Scalar, X0).Shape);
        Assert.Equal(new Shape(2, 3), Grad.Jacobian(x => x * Tensor.FromArray(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, 2, 3), Tensor.Scalar(2.0)).Shape);
        Assert.Equal(new Shape(0, 2, 3), Grad.Jacobian(x => Tensor.Zeros<double>(0), X0).Shape);
    }

    [Fact]
    public void Jacobian_matches_central_finite_differences()
    {
        // Error of (f(x + h) − f(x − h)) / 2h: O(h²·f''') + O(ε/h) ≈ 1e-10 at h = 1e-6, far inside 1e-7.
        const double h = 1e-6;
        var jacobian = Tensor.Reshape(Grad.Jacobian(Vector, X0), 4, 6).ToArray2D();
        for (int j = 0; j < 6; j++)
        {
            var plus = Vector(Shifted(X0, j, h)).ToArray();
            var minus = Vector(Shifted(X0, j, -h)).ToArray();
            for (int i = 0; i < 4; i++) Assert.Equal((plus[i] - minus[i]) / (2 * h), jacobian[i, j], 1e-7);
        }
    }

    [Fact]
    public void Jacobian_rows_are_the_vjps_of_one_hot_cotangents()
    {
        var jacobian = Grad.Jacobian(Vector, X0);
        for (int i = 0; i < 4; i++)
        {
            var oneHot = new double[4];
            oneHot[i] = 1;
            var vjp = Grad.Vjp(Vector, X0, Tensor.FromArray(oneHot)).Cotangent;
            var row = Tensor.Reshape(Tensor.Narrow(jacobian, 0, i, 1), 2, 3);
            Assert.Equal(vjp.ToArray(), row.ToArray());
        }
    }

    [Fact]
    public void Jacobian_of_a_linear_map_is_its_matrix()
    {
        var x = Tensor.RandomNormal<double>([6, 1], 44);
        Assert.Equal(W.ToArray(), Tensor.Reshape(Grad.Jacobian(y => W.MatMul(y), x), 4, 6).ToArray());
    }

    [Fact]
    public void Jacobian_is_differentiable_by_an_enclosing_call()
    {
        // d/dx Σᵢⱼ J(x)ᵢⱼ·cᵢⱼ for the elementwise x³: J = diag(3x²), so the result is 6x·diag(c).
        var x = Tensor.FromArray(new[] { 0.5, -1.5, 2.0 });
        var c = Tensor.RandomNormal<double>([3, 3], 45);
        var actual = Grad.Gradient(y => Tensor.Sum(Grad.Jacobian(z => z * z * z, y) * c), x).ToArray();
        var cs = c.ToArray2D();
        for (int i = 0; i < 3; i++) Assert.Equal(6 * x.ToArray()[i] * cs[i, i], actual[i], 1e-12);
    }

    // ---- Hessian ----

    [Fact]
    public void Hessian_matches_finite_differences_of_the_gradient()
    {
        // Column j: (∇f(x + h·eⱼ) − ∇f(x − h·eⱼ)) / 2h, error ≈ 1e-9 at h = 1e-5 (as in HigherOrderTests).
        const double h = 1e-5;
        var hessian = Tensor.Reshape(Grad.Hessian(Scalar, X0), 6, 6).ToArray2D();
        Assert.Equal(new Shape(2, 3, 2, 3), Grad.Hessian(Scalar, X0).Shape);
        for (int j = 0; j < 6; j++)
        {
            var plus = Grad.Gradient(Scalar, Shifted(X0, j, h)).ToArray();
            var minus = Grad.Gradient(Scalar, Shifted(X0, j, -h)).ToArray();
            for (int i = 0; i < 6; i++) Assert.Equal((plus[i] - minus[i]) / (2 * h), hessian[i, j], 1e-7);
        }
    }

    [Fact]
    public void Hessian_is_symmetric_up_to_rounding()
    {
        var hessian = Tensor.Reshape(Grad.Hessian(Scalar, X0), 6, 6).ToArray2D();
        double largestOffDiagonal = 0;
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(hessian[i, j], hessian[j, i], 1e-13);
                largestOffDiagonal = Math.Max(largestOffDiagonal, Math.Abs(hessian[i, j]));
            }
        Assert.True(largestOffDiagonal > 0.01, "the function must have cross terms, or symmetry says nothing");
    }

    [Fact]
    public void Hessian_of_a_quadratic_form_is_the_symmetrized_matrix()
    {
        // f(x) = xᵀAx: H = A + Aᵀ exactly.
        var a = Tensor.RandomNormal<double>([3, 3], 46);
        var x = Tensor.RandomNormal<double>([3, 1], 47);
        var hessian = Tensor.Reshape(Grad.Hessian(y => Tensor.MatMulTransposeA(y, a.MatMul(y)), x), 3, 3);
        Assert.True(hessian.AllClose(a + Tensor.Transpose(a), 1e-14, 1e-14), hessian.ToString());
    }

    // ---- Hessian-vector products ----

    [Fact]
    public void Hvp_equals_the_Hessian_times_v_and_the_nested_Grad_form()
    {
        var result = Grad.Hvp(Scalar, X0, V);
        var viaHessian = Tensor.Reshape(Tensor.Reshape(Grad.Hessian(Scalar, X0), 6, 6).MatMul(Tensor.Reshape(V, 6, 1)), 2, 3);
        var nested = Grad.Gradient(x => Tensor.Sum(Grad.Gradient(Scalar, x) * V), X0);
        Assert.Equal(X0.Shape, result.HessianVector.Shape);
        Assert.True(result.HessianVector.AllClose(viaHessian, 1e-12, 1e-12), $"{result.HessianVector} vs {viaHessian}");
        Assert.True(result.HessianVector.AllClose(nested, 1e-12, 1e-12), $"{result.HessianVector} vs {nested}");
    }

    [Fact]
    public void Hvp_returns_the_value_and_gradient_of_ValueAndGrad_untraced_from_one_call()
    {
        int calls = 0;
        var result = Grad.Hvp(x => { calls++; return Scalar(x); }, X0, V);
        var plain = Grad.ValueAndGrad(Scalar, X0);
        Assert.Equal(1, calls);
        Assert.Equal(plain.Value.Item, result.Value.Item);
        Assert.Equal(plain.Gradient.ToArray(), result.Gradient.ToArray());
        Assert.False(result.Value.IsTraced || result.Gradient.IsTraced || result.HessianVector.IsTraced);
    }

    [Fact]
    public void Hvp_with_params_includes_cross_terms_between_parameters()
    {
        // f = Σ w²·b: H·v for w is 2b·v_w + 2w·v_b, for b it is 2⟨w, v_w⟩.
        var parameters = Params<double>.Empty.Add("w", Tensor.FromArray(new[] { 1.0, 2.0 })).Add("b", Tensor.Scalar(1.5));
        // The direction's names in another order: matched by name.
        var direction = Params<double>.Empty.Add("b", Tensor.Scalar(-1.0)).Add("w", Tensor.FromArray(new[] { 0.5, 3.0 }));
        var result = Grad.Hvp(p => Tensor.Sum(p["w"] * p["w"] * p["b"]), parameters, direction);
        Assert.Equal(new[] { 2 * 1.5 * 0.5 + 2 * 1.0 * -1.0, 2 * 1.5 * 3.0 + 2 * 2.0 * -1.0 }, result.HessianVector["w"].ToArray());
        Assert.Equal(2 * (1.0 * 0.5 + 2.0 * 3.0), result.HessianVector["b"].Item);
        Assert.Equal(new[] { "w", "b" }, result.HessianVector.Names);
        Assert.Equal(new[] { 2 * 1.0 * 1.5, 2 * 2.0 * 1.5 }, result.Gradients["w"].ToArray());
        Assert.Equal(5.0 * 1.5, result.Value.Item);
    }

    [Fact]
    public void Hvp_with_params_equals_the_nested_Grad_form()
    {
        var x = Tensor.RandomNormal<double>([5, 3], 48);
        var parameters = Params<double>.Empty
            .Add("w", Tensor.RandomNormal<double>([3, 4], 49, standardDeviation: 0.5))
            .Add("b", Tensor.RandomNormal<double>([4], 50))
            .Add("v", Tensor.RandomNormal<double>([4, 1], 51));
        var direction = parameters.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), 52));
        Tensor<double> Loss(Params<double> p) => Tensor.Mean(Tensor.Tanh(x.MatMul(p["w"]) + p["b"]).MatMul(p["v"]) * 2.0);
        var result = Grad.Hvp(Loss, parameters, direction);
        var nested = Grad.Gradient(q =>
        {
            var gradient = Grad.Gradient(Loss, q);
            return Tensor.Sum(gradient["w"] * direction["w"]) + Tensor.Sum(gradient["b"] * direction["b"]) + Tensor.Sum(gradient["v"] * direction["v"]);
        }, parameters);
        foreach (var name in parameters.Names)
            Assert.True(result.HessianVector[name].AllClose(nested[name], 1e-12, 1e-14), $"{name}: {result.HessianVector[name]} vs {nested[name]}");
    }

    [Fact]
    public void Hvp_through_an_LSTM_layer_matches_finite_differences_of_the_gradient()
    {
        var layer = RecurrentLayer.Lstm<double>(2, 3);
        var weights = layer.Initialize(53);
        var inputs = Tensor.RandomNormal<double>([4, 2, 2], 54);
        var readout = Tensor.RandomNormal<double>([4, 2, 3], 55);
        Tensor<double> Loss(Params<double> p) => Tensor.Sum(layer.Apply(p, inputs).Output * readout);
        var direction = weights.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), 56));
        var result = Grad.Hvp(Loss, weights, direction);

        // Finite differences of the gradient along v: (∇f(p + hv) − ∇f(p − hv)) / 2h, error ≈ 1e-9 at h = 1e-5.
        const double h = 1e-5;
        var plus = Grad.Gradient(Loss, weights.Zip(direction, (p, v) => p + v * h));
        var minus = Grad.Gradient(Loss, weights.Zip(direction, (p, v) => p - v * h));
        foreach (var name in weights.Names)
        {
            var numeric = (plus[name] - minus[name]) / (2 * h);
            Assert.True(result.HessianVector[name].AllClose(numeric, 1e-5, 1e-7), $"{name}: {result.HessianVector[name]} vs {numeric}");
        }

        // H·v is the gradient of the directional derivative p ↦ ⟨∇f(p), v⟩; GradCheck checks that gradient entry by entry.
        Tensor<double> Directional(Params<double> p)
        {
            var gradient = Grad.Gradient(Loss, p);
            var total = Tensor.Scalar(0.0);
            foreach (var (name, g) in gradient) total += Tensor.Sum(g * direction[name]);
            return total;
        }
        var ofDirectional = Grad.Gradient(Directional, weights);
        foreach (var name in weights.Names)
            Assert.True(result.HessianVector[name].AllClose(ofDirectional[name], 1e-10, 1e-12), name);
        var check = GradCheck.Run(Directional, weights);
        Assert.True(check.Passed, check.ToString());
        Assert.Equal((int)weights.ElementCount, check.Checked);
    }

    [Fact]
    public void Hvp_is_differentiable_in_the_direction_by_an_enclosing_call()
    {
        // H·v is linear in v: d/dv ⟨H·v, u⟩ = Hᵀu = H·u.
        var u = Tensor.RandomNormal<double>([2, 3], 57);
        var actual = Grad.Gradient(v => Tensor.Sum(Grad.Hvp(Scalar, X0, v).HessianVector * u), V);
        Assert.True(actual.AllClose(Grad.Hvp(Scalar, X0, u).HessianVector, 1e-12, 1e-12));
    }

    // ---- Auxiliary outputs ----

    private sealed record Metrics(Tensor<double> Predictions, double Accuracy);

    [Fact]
    public void ValueAndGradWithAux_returns_the_aux_untraced_and_equal_to_what_the_function_computed()
    {
        var x = Tensor.RandomNormal<double>([5, 3], 58);
        var target = Tensor.RandomNormal<double>([5, 1], 59);
        var parameters = Params<double>.Empty.Add("w", Tensor.RandomNormal<double>([3, 1], 60)).Add("b", Tensor.Scalar(0.2));
        Tensor<double> Predict(Params<double> p) => Tensor.Tanh(x.MatMul(p["w"]) + p["b"]);
        Tensor<double> Loss(Params<double> p) => Tensor.Mean((Predict(p) - target) * (Predict(p) - target));
        int calls = 0;
        var result = Grad.ValueAndGradWithAux(p =>
        {
            calls++;
            var predictions = Predict(p);
            return WithAux.Create(Tensor.Mean((predictions - target) * (predictions - target)), new Metrics(predictions, 0.75));
        }, parameters);

        Assert.Equal(1, calls);
        Assert.False(result.Aux.Predictions.IsTraced);
        Assert.Equal(Predict(parameters).ToArray(), result.Aux.Predictions.ToArray());
        Assert.Equal(0.75, result.Aux.Accuracy);
        var plain = Grad.ValueAndGrad(Loss, parameters);
        Assert.Equal(plain.Value.Item, result.Value.Item, 1e-15);
        foreach (var name in parameters.Names) Assert.True(plain.Gradients[name].AllClose(result.Gradients[name], 1e-14, 1e-15), name);
    }

    [Fact]
    public void ValueAndGradWithAux_of_one_tensor_returns_value_gradient_and_aux()
    {
        var x = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 });
        var result = Grad.ValueAndGradWithAux(y => WithAux.Create(Tensor.Sum(y * y), Tensor.Exp(y)), x);
        Assert.Equal(14.0, result.Value.Item);
        Assert.Equal(new[] { 2.0, -4.0, 6.0 }, result.Gradient.ToArray());
        Assert.Equal(Tensor.Exp(x).ToArray(), result.Aux.ToArray());
        Assert.False(result.Aux.IsTraced);
    }

    [Fact]
    public void The_aux_is_not_differentiated_but_stays_traced_by_an_enclosing_call()
    {
        // The aux does not feed this call's gradient (the gradient of Σy² is 2y, not 2y + eʸ) ...
        var x = Tensor.FromArray(new[] { 0.5, -1.0 });
        var inner = Grad.ValueAndGradWithAux(y => WithAux.Create(Tensor.Sum(y * y), Tensor.Exp(y)), x);
        Assert.Equal(new[] { 1.0, -2.0 }, inner.Gradient.ToArray());
        // ... but an enclosing call differentiates through it, as through any value: d/dx Σ exp(x)·3 = 3eˣ.
        var outer = Grad.Gradient(y => Tensor.Sum(Grad.ValueAndGradWithAux(z => WithAux.Create(Tensor.Sum(z * z), Tensor.Exp(z) * 3.0), y).Aux), x);
        Assert.True(outer.AllClose(Tensor.Exp(x) * 3.0, 1e-15, 0), outer.ToString());
    }

    // ---- Errors ----

    [Fact]
    public void Hessian_and_Hvp_reject_functions_with_more_than_one_output_element_naming_the_call()
    {
        var hessian = Assert.Throws<ArgumentException>(() => Grad.Hessian(Vector, X0));
        Assert.Contains("Grad.Hessian", hessian.Message);
        Assert.Contains("[4]", hessian.Message);
        var hvp = Assert.Throws<ArgumentException>(() => Grad.Hvp(Vector, X0, V));
        Assert.Contains("Grad.Hvp", hvp.Message);
        var aux = Assert.Throws<ArgumentException>(() => Grad.ValueAndGradWithAux(x => WithAux.Create(x, 0), X0));
        Assert.Contains("Grad.ValueAndGradWithAux", aux.Message);
        Assert.Contains("[2,3]", aux.Message);
    }

    [Fact]
    public void Hvp_rejects_a_direction_of_another_shape_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => Grad.Hvp(Scalar, X0, Tensor.Zeros<double>(3, 2)));
        Assert.Equal("direction", error.ParamName);
        Assert.Contains("[3,2]", error.Message);
        Assert.Contains("[2,3]", error.Message);
    }

    [Fact]
    public void Hvp_with_params_rejects_directions_with_other_names_or_shapes()
    {
        var parameters = Params<double>.Empty.Add("w", Tensor.Zeros<double>(2, 3)).Add("b", Tensor.Zeros<double>(3));
        Tensor<double> Loss(Params<double> p) => Tensor.Sum(p["w"] * p["b"]);
        var missing = Assert.Throws<ArgumentException>(() => Grad.Hvp(Loss, parameters, Params<double>.Empty.Add("w", Tensor.Zeros<double>(2, 3))));
        Assert.Equal("direction", missing.ParamName);
        Assert.Contains("'b'", missing.Message);
        var extra = Assert.Throws<ArgumentException>(() => Grad.Hvp(Loss, parameters, parameters.Add("c", Tensor.Zeros<double>(1))));
        Assert.Equal("direction", extra.ParamName);
        Assert.Contains("[c]", extra.Message);
        var shape = Assert.Throws<ArgumentException>(() => Grad.Hvp(Loss, parameters, parameters.With("b", Tensor.Zeros<double>(2))));
        Assert.Equal("direction", shape.ParamName);
        Assert.Contains("'b' has shape [2]", shape.Message);
    }

    [Fact]
    public void Jacobian_too_large_for_one_tensor_is_refused_before_any_sweep()
    {
        var x = Tensor.Zeros<double>(50_000);
        var error = Assert.Throws<ArgumentException>(() => Grad.Jacobian(y => y * 2.0, x));
        Assert.Contains("Grad.Jacobian: the Jacobian [50000,50000]", error.Message);
    }

    [Fact]
    public void Transforms_reject_null_functions_and_functions_that_return_null()
    {
        Assert.Throws<ArgumentNullException>(() => Grad.Jacobian((Func<Tensor<double>, Tensor<double>>)null!, X0));
        Assert.Throws<ArgumentNullException>(() => Grad.Hvp(Scalar, X0, null!));
        var jacobian = Assert.Throws<ArgumentException>(() => Grad.Jacobian(_ => null!, X0));
        Assert.Contains("Grad.Jacobian", jacobian.Message);
        var aux = Assert.Throws<ArgumentException>(() => Grad.ValueAndGradWithAux<double, int>(_ => null!, X0));
        Assert.Equal("function", aux.ParamName);
    }
}
