namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Gradients of gradients: VJP rules are written with differentiable ops, so nesting Grad gives Hessian-vector
/// products and higher derivatives, and GradGradCheck verifies them.
/// </summary>
public class HigherOrderTests
{
    private static readonly Tensor<double> W = Tensor.RandomNormal<double>([5, 4], 11, standardDeviation: 0.7);
    private static readonly Tensor<double> X0 = Tensor.RandomNormal<double>([4, 1], 12);
    private static readonly Tensor<double> V = Tensor.RandomNormal<double>([4, 1], 13);

    private static Tensor<double> F(Tensor<double> x) => Tensor.Sum(Tensor.Tanh(W.MatMul(x)));

    // H·v as the gradient of ⟨∇f(x), v⟩: reverse over reverse.
    private static Tensor<double> HessianVectorProduct(Tensor<double> x) =>
        Grad.Gradient(y => Tensor.Sum(Grad.Gradient(F, y) * V), x);

    [Fact]
    public void Hessian_vector_product_equals_the_closed_form()
    {
        // f = Σ tanh(Wx): ∇f = Wᵀ(1 − t²), H·v = Wᵀ(−2t(1 − t²) ⊙ Wv) with t = tanh(Wx).
        var w = W.ToArray2D();
        var x = X0.ToArray();
        var v = V.ToArray();
        var expected = new double[4];
        for (int i = 0; i < 5; i++)
        {
            double z = 0, wv = 0;
            for (int j = 0; j < 4; j++) { z += w[i, j] * x[j]; wv += w[i, j] * v[j]; }
            double t = Math.Tanh(z);
            for (int j = 0; j < 4; j++) expected[j] += w[i, j] * (-2 * t * (1 - t * t) * wv);
        }
        var actual = HessianVectorProduct(X0);
        Assert.Equal(X0.Shape, actual.Shape);
        for (int j = 0; j < 4; j++) Assert.Equal(expected[j], actual.ToArray()[j], 1e-12);
    }

    [Fact]
    public void Hessian_vector_product_equals_finite_differences_of_the_gradient()
    {
        // (∇f(x + hv) − ∇f(x − hv)) / 2h has error O(h²·‖∇⁴f‖) + O(ε/h): about 1e-9 at h = 1e-5, so tolerance 1e-7.
        const double h = 1e-5;
        var plus = Grad.Gradient(F, X0 + V * h).ToArray();
        var minus = Grad.Gradient(F, X0 - V * h).ToArray();
        var actual = HessianVectorProduct(X0).ToArray();
        for (int j = 0; j < 4; j++) Assert.Equal((plus[j] - minus[j]) / (2 * h), actual[j], 1e-7);
    }

    [Fact]
    public void Third_derivative_by_triple_nesting_matches_the_closed_form()
    {
        // d³/dx³ x⁴ = 24x; d³/dx³ tanh x = −2(1 − t²)(1 − 3t²).
        static Tensor<double> Third(Func<Tensor<double>, Tensor<double>> f, double at) =>
            Grad.Gradient(a => Grad.Gradient(b => Grad.Gradient(f, b), a), Tensor.Scalar(at));

        Assert.Equal(24 * 1.5, Third(x => x * x * x * x, 1.5).Item, 1e-12);
        double t = Math.Tanh(0.7);
        Assert.Equal(-2 * (1 - t * t) * (1 - 3 * t * t), Third(Tensor.Tanh, 0.7).Item, 1e-12);
        // exp is its own third derivative.
        Assert.Equal(Math.Exp(0.3), Third(Tensor.Exp, 0.3).Item, 1e-12);
        // 1/x: −6/x⁴.
        Assert.Equal(-6 / Math.Pow(1.7, 4), Third(x => 1.0 / x, 1.7).Item, 1e-12);
    }

    [Fact]
    public void Second_derivative_of_a_product_mixes_levels_correctly()
    {
        // g(x) = d/dy [x·y²] at y = x is 2x·x = 2x², so dg/dx = 4x: the inner level must treat x as a constant.
        var result = Grad.Gradient(x => Grad.Gradient(y => x * y * y, x), Tensor.Scalar(1.25));
        Assert.Equal(5.0, result.Item, 1e-14);
    }

    public static TheoryData<string> SecondOrderOps => new() { "Tanh", "Exp", "Log", "Multiply", "Divide", "MatMul", "MatMulTransposeA", "MatMulTransposeB", "Composite" };

    [Theory]
    [MemberData(nameof(SecondOrderOps))]
    public void GradGradCheck_passes_on_ops_whose_vjp_is_differentiable(string op)
    {
        // Default double options: step 1e-6, |analytic − numeric| ≤ 1e-6 + 1e-4·|numeric| for every Hessian-vector entry.
        var a = Tensor.RandomNormal<double>([3, 4], 21);
        var positive = Tensor.RandomUniform<double>([3, 4], 22, 0.5, 2.0);
        var b = Tensor.RandomNormal<double>([4, 2], 23);
        Params<double> P(params (string Name, Tensor<double> Value)[] items) =>
            items.Aggregate(Params<double>.Empty, (p, item) => p.Add(item.Name, item.Value));
        GradCheckResult result = op switch
        {
            "Tanh" => GradCheck.GradGradCheck(x => Tensor.Sum(Tensor.Tanh(x)), a),
            "Exp" => GradCheck.GradGradCheck(x => Tensor.Sum(Tensor.Exp(x)), a),
            "Log" => GradCheck.GradGradCheck(x => Tensor.Sum(Tensor.Log(x)), positive),
            "Multiply" => GradCheck.GradGradCheck(p => Tensor.Sum(p["a"] * p["c"] * p["a"]), P(("a", a), ("c", positive))),
            "Divide" => GradCheck.GradGradCheck(p => Tensor.Sum(p["a"] / p["c"]), P(("a", a), ("c", positive))),
            "MatMul" => GradCheck.GradGradCheck(p => Tensor.Sum(Tensor.Tanh(p["a"].MatMul(p["b"]))), P(("a", a), ("b", b))),
            "MatMulTransposeA" => GradCheck.GradGradCheck(p => Tensor.Sum(Tensor.Tanh(Tensor.MatMulTransposeA(p["a"], p["c"]))), P(("a", a), ("c", positive))),
            "MatMulTransposeB" => GradCheck.GradGradCheck(p => Tensor.Sum(Tensor.Tanh(Tensor.MatMulTransposeB(p["a"], p["c"]))), P(("a", a), ("c", positive))),
            "Composite" => GradCheck.GradGradCheck(p => Tensor.Tanh(p["a"].MatMul(p["b"])) * 2.0 - Tensor.Exp(p["b"].Sum()), P(("a", a), ("b", b))),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Checked > 0);
    }

    // x² whose VJP is g·2·x̄ with x̄ a constant copy of x: right at first order, but its own derivative loses the
    // dependence on x, so H·v comes out 0 instead of 2v.
    private static Tensor<double> SquareWithConstantVjp(Tensor<double> x) =>
        Trace.Unary("SquareWithConstantVjp", x,
            v => Tensor.Multiply(new Tensor<double>(v), new Tensor<double>(v)).Value,
            SquareWithConstantVjp,
            (xPrimal, _, g) => g * (xPrimal.Constant * 2.0),
            (xPrimal, _, t) => t * (xPrimal.Constant * 2.0),
            (x, axis) => new(SquareWithConstantVjp(x), axis));

    [Fact]
    public void GradGradCheck_fails_on_a_vjp_that_is_not_differentiable()
    {
        var x = Tensor.RandomNormal<double>([2, 3], 31);
        Assert.True(GradCheck.Run(v => Tensor.Sum(SquareWithConstantVjp(v)), x).Passed, "the first derivative is right");
        var second = GradCheck.GradGradCheck(v => Tensor.Sum(SquareWithConstantVjp(v)), x);
        Assert.False(second.Passed);
        Assert.Equal(6, second.Failed);
        Assert.Equal("input", second.Worst!.Parameter);
        Assert.Throws<GradCheckException>(() => second.ThrowIfFailed());
    }
}
