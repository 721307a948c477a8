namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Grad.Vmap runs a function written for one example over a batch in one pass, and equals calling it on each example and
/// stacking the results; it nests with Grad, Jvp and itself in any order (levels keep batch axes and perturbations
/// apart); per-example gradients of an MLP and of an LSTM layer equal separate Grad calls; reading a batched tensor's
/// values and using a batched tensor after its call returned are errors. Tolerances: 1e-12 relative and absolute in
/// double, for batched kernels that sum in another order than the per-example ones.
/// </summary>
public class VmapTests
{
    private const double Tolerance = 1e-12;
    private const int Examples = 5;
    private static readonly Tensor<double> W = Tensor.RandomNormal<double>([3, 4], 71, standardDeviation: 0.6);
    private static readonly Tensor<double> Xs = Tensor.RandomNormal<double>([Examples, 3], 72);
    private static readonly Tensor<double> Vs = Tensor.RandomNormal<double>([Examples, 3], 73);
    private static readonly Tensor<double> Ys = Tensor.RandomNormal<double>([Examples, 2], 74);

    private static readonly Params<double> Mlp = Params<double>.Empty
        .Add("w1", Tensor.RandomNormal<double>([3, 4], 75, standardDeviation: 0.5))
        .Add("b1", Tensor.RandomNormal<double>([4], 76))
        .Add("w2", Tensor.RandomNormal<double>([4, 2], 77, standardDeviation: 0.5));

    // One example [3] -> [4].
    private static Tensor<double> F(Tensor<double> x) => Tensor.Tanh(x.Reshape(1, 3).MatMul(W)).Reshape(4) * Tensor.Sum(Tensor.Exp(x * 0.3));

    // One example's loss: x [3], y [2] -> scalar.
    private static Tensor<double> Loss(Params<double> p, Tensor<double> x, Tensor<double> y)
    {
        var hidden = Tensor.Tanh(x.Reshape(1, 3).MatMul(p["w1"]) + p["b1"]);
        var output = hidden.MatMul(p["w2"]).Reshape(2);
        return Tensor.Sum((output - y) * (output - y));
    }

    private static Tensor<double> Looped(Func<Tensor<double>, Tensor<double>> function, Tensor<double> xs, int axis = 0) =>
        Tensor.Stack(xs.Unstack(0).Select(function).ToArray(), axis);

    private static void Close(Tensor<double> expected, Tensor<double> actual) =>
        Assert.True(actual.AllClose(expected, Tolerance, Tolerance), $"expected {expected}, got {actual}");

    [Fact]
    public void Vmap_equals_the_function_applied_to_each_example_and_stacked()
    {
        Close(Looped(F, Xs), Grad.Vmap(F, Xs));
        // Batch axis last on the way in, and second on the way out: [3, 5] -> [4, 5].
        Close(Looped(F, Xs, axis: 1), Grad.Vmap(F, Xs.Transpose(), inAxis: 1, outAxis: 1));
        Close(Looped(F, Xs, axis: 1), Grad.Vmap(F, Xs.Transpose(), inAxis: -1, outAxis: -1));
    }

    [Fact]
    public void Elementwise_functions_under_Vmap_give_the_same_bits_as_per_example_calls()
    {
        // The same elementwise kernels run on the batch as on each example, so nothing rounds differently.
        static Tensor<double> G(Tensor<double> x) => Tensor.Tanh(x) * Tensor.Exp(x) + x / 2.0 - Tensor.Sigmoid(x * x);
        Assert.Equal(Looped(G, Xs).ToArray(), Grad.Vmap(G, Xs).ToArray());
    }

    [Fact]
    public void A_compiled_function_called_under_Vmap_runs_eagerly_on_the_batch()
    {
        var compiled = Compile.Function<double>(inputs => [Tensor.Tanh(inputs[0].Reshape(1, 3).MatMul(W)) * 2.0]);
        var expected = Looped(x => compiled([x])[0], Xs);
        Close(expected, Grad.Vmap(x => compiled([x])[0], Xs));
        Close(expected, Looped(x => compiled([x])[0], Xs));   // the plan still serves unbatched calls afterwards
    }

    [Fact]
    public void A_result_that_does_not_depend_on_the_example_is_repeated_for_every_example()
    {
        var c = Tensor.FromArray(new[] { 1.0, 2.0 });
        Close(Tensor.Stack(Enumerable.Repeat(c, Examples).ToArray(), 0), Grad.Vmap(_ => c, Xs));
    }

    [Fact]
    public void Two_batches_are_mapped_together_example_by_example()
    {
        var expected = Tensor.Stack(Enumerable.Range(0, Examples).Select(i => Loss(Mlp, Xs.Unstack()[i], Ys.Unstack()[i])).ToArray(), 0);
        Close(expected, Grad.Vmap((x, y) => Loss(Mlp, x, y), Xs, Ys));
    }

    [Fact]
    public void Vmap_of_Grad_gives_per_example_gradients_equal_to_separate_Grad_calls()
    {
        var perExample = Grad.PerExampleGradients(Loss, Mlp, Xs, Ys);
        var viaVmap = Grad.VmapParams((x, y) => Grad.Gradient(p => Loss(p, x, y), Mlp), Xs, Ys);
        for (int i = 0; i < Examples; i++)
        {
            var separate = Grad.Gradient(p => Loss(p, Xs.Unstack()[i], Ys.Unstack()[i]), Mlp);
            foreach (var name in Mlp.Names)
            {
                Assert.Equal([Examples, .. Mlp[name].Shape.ToArray()], perExample[name].Shape.ToArray());
                Close(separate[name], perExample[name].Unstack()[i]);
                Close(separate[name], viaVmap[name].Unstack()[i]);
            }
        }
    }

    [Fact]
    public void Grad_of_Vmap_equals_Grad_of_the_stacked_loop()
    {
        var weights = Tensor.RandomNormal<double>([Examples, 4], 78);
        var expected = Grad.Gradient(xs => Tensor.Sum(Looped(F, xs) * weights), Xs);
        Close(expected, Grad.Gradient(xs => Tensor.Sum(Grad.Vmap(F, xs) * weights), Xs));
    }

    [Fact]
    public void Vmap_of_Jvp_and_Jvp_of_Vmap_equal_per_example_Jvp_calls()
    {
        var expected = Tensor.Stack(Enumerable.Range(0, Examples).Select(i => Grad.Jvp(F, Xs.Unstack()[i], Vs.Unstack()[i]).Tangent).ToArray(), 0);
        Close(expected, Grad.Vmap((x, v) => Grad.Jvp(F, x, v).Tangent, Xs, Vs));
        var outer = Grad.Jvp(xs => Grad.Vmap(F, xs), Xs, Vs);
        Close(Grad.Vmap(F, Xs), outer.Output);
        Close(expected, outer.Tangent);
    }

    [Fact]
    public void Vmap_over_tangents_and_cotangents_gives_the_Jacobian_column_by_column_and_row_by_row()
    {
        // Batched directions with one primal: Jvp along each basis vector is a column of J, Vjp of each one a row.
        var x0 = Xs.Unstack()[0];
        var jacobian = Grad.Jacobian(F, x0);   // [4, 3]
        Close(jacobian.Transpose(), Grad.Vmap(v => Grad.Jvp(F, x0, v).Tangent, Identity(3)));
        Close(jacobian, Grad.Vmap(u => Grad.Vjp(F, x0, u).Cotangent, Identity(4)));
    }

    private static Tensor<double> Identity(int n)
    {
        var values = new double[n * n];
        for (int i = 0; i < n; i++) values[i * n + i] = 1.0;
        return Tensor.FromArray(values, n, n);
    }

    [Fact]
    public void Vmap_of_Jvp_of_Grad_gives_per_example_Hessian_vector_products()
    {
        Tensor<double> Scalar(Tensor<double> x) => Tensor.Sum(F(x)) + Tensor.Sum(x * x * x) * 0.1;
        var expected = Tensor.Stack(Enumerable.Range(0, Examples)
            .Select(i => Grad.Hvp(Scalar, Xs.Unstack()[i], Vs.Unstack()[i]).HessianVector).ToArray(), 0);
        Close(expected, Grad.Vmap((x, v) => Grad.Jvp(y => Grad.Gradient(Scalar, y), x, v).Tangent, Xs, Vs));
        Close(Looped(x => Grad.Hessian(Scalar, x), Xs), Grad.Vmap(x => Grad.Hessian(Scalar, x), Xs));
    }

    [Fact]
    public void Nested_Vmaps_keep_their_batch_axes_apart()
    {
        // All pairs: result[i, j] = F(xs[i] + ys[j]).
        var ys = Tensor.RandomNormal<double>([2, 3], 79);
        var expected = Tensor.Stack(Xs.Unstack().Select(x => Tensor.Stack(ys.Unstack().Select(y => F(x + y)).ToArray(), 0)).ToArray(), 0);
        Close(expected, Grad.Vmap(x => Grad.Vmap(y => F(x + y), ys), Xs));
    }

    [Fact]
    public void StopGradient_under_Vmap_keeps_the_batch_and_stops_the_gradient()
    {
        // d/dx Σ StopGradient(x)·x = x, not 2x.
        var gradient = Grad.Gradient(xs => Tensor.Sum(Grad.Vmap(x => Tensor.StopGradient(x) * x, xs)), Xs);
        Close(Xs, gradient);
    }

    [Fact]
    public void Comparisons_and_Where_with_a_batched_mask_pick_per_example()
    {
        var expected = Looped(x => Tensor.Where(Tensor.Greater(x, Tensor.Scalar(0.1)), x, -x), Xs);
        Close(expected, Grad.Vmap(x => Tensor.Where(Tensor.Greater(x, Tensor.Scalar(0.1)), x, -x), Xs));
    }

    [Fact]
    public void Reading_a_batched_tensors_values_is_an_error_naming_Vmap()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Grad.Vmap(x => Tensor.Scalar(x.ToArray()[0]), Xs));
        Assert.Contains("Grad.Vmap", error.Message);
        Assert.Throws<InvalidOperationException>(() => Grad.Vmap(x => Tensor.Scalar((double)x.ArgMax()[0]), Xs));
    }

    [Fact]
    public void A_batched_tensor_used_after_its_Vmap_returned_is_an_error()
    {
        Tensor<double>? kept = null;
        Grad.Vmap(x => kept = x * 2.0, Xs);
        var error = Assert.Throws<InvalidOperationException>(() => kept! + 1.0);
        Assert.Contains("Grad.Vmap", error.Message);
    }

    [Fact]
    public void Batches_of_different_sizes_and_scalars_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Grad.Vmap((x, y) => x, Xs, Tensor.Zeros<double>(3, 2)));
        Assert.Throws<ArgumentException>(() => Grad.Vmap(x => x, Tensor.Scalar(1.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Grad.Vmap(x => x, Xs, inAxis: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Grad.Vmap(x => x, Xs, outAxis: 3));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Per_example_gradients_of_an_LSTM_layer_equal_separate_Grad_calls(bool plans)
    {
        // Each example is one sequence [time, features], run as a batch of one; the separate calls may run planned.
        const int time = 4, features = 3, hidden = 5;
        var layer = RecurrentLayer.Lstm<double>(features, hidden);
        var parameters = layer.Initialize(80);
        var sequences = Tensor.RandomNormal<double>([Examples, time, features], 81);
        var targets = Tensor.RandomNormal<double>([Examples, hidden], 82);
        Tensor<double> SequenceLoss(Params<double> p, Tensor<double> x, Tensor<double> y)
        {
            var output = layer.Apply(p, x.Reshape(time, 1, features)).Output;
            var last = Tensor.Narrow(output, 0, time - 1, 1).Reshape(hidden);
            return Tensor.Sum((last - y) * (last - y));
        }

        using var eager = plans ? null : Compile.Eagerly();
        var perExample = Grad.PerExampleGradients(SequenceLoss, parameters, sequences, targets);
        for (int i = 0; i < Examples; i++)
        {
            var separate = Grad.Gradient(p => SequenceLoss(p, sequences.Unstack()[i], targets.Unstack()[i]), parameters);
            foreach (var name in parameters.Names)
                Assert.True(perExample[name].Unstack()[i].AllClose(separate[name], 1e-10, 1e-12), $"{name}, example {i}");
        }
    }
}
