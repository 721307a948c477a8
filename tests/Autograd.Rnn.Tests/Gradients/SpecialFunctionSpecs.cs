using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// Rows for sin, cos and erf and the GELU compositions built on erf and tanh; the second-order rows differentiate
/// each VJP (sin's is written with cos and cos's with sin, erf's with exp), so they are checked to be differentiable too.
/// </summary>
public static class SpecialFunctionSpecs
{
    private static Gen<OpCase> Unary { get; } = Generators.AnyDims().Select(d => new OpCase([d], 0));

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Sin", typeof(SinOp), Unary, (x, _) => Tensor.Sin(x[0])),
        new("Cos", typeof(CosOp), Unary, (x, _) => Tensor.Cos(x[0])),
        new("Sin from F#'s static member", typeof(SinOp), Unary, (x, _) => Tensor<double>.Sin(x[0] * 3.0)),
        new("Cos from F#'s static member", typeof(CosOp), Unary, (x, _) => Tensor<double>.Cos(x[0] * 3.0)),
        new("Erf", typeof(ErfOp), Unary, (x, _) => Tensor.Erf(x[0])),
        new("Erf beyond the first interval", typeof(ErfOp), Unary, (x, _) => Tensor.Erf(x[0] * 2.5)),
        new("Gelu", typeof(ErfOp), Unary, (x, _) => Tensor.Gelu(x[0] * 2.0)),
        new("Gelu tanh approximation", typeof(TanhOp), Unary, (x, _) => x[0].Gelu(approximate: true)),
        new("Sin second order", typeof(CosOp), Unary, (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Sin(v) * v), x[0])),
        new("Cos second order", typeof(SinOp), Unary, (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Cos(v) * v), x[0])),
        new("Erf second order", typeof(ErfOp), Unary, (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Erf(v) * v), x[0])),
    ];
}

/// <summary>Forward values of the special functions and GELU against published values.</summary>
public class SpecialFunctionForwardTests
{
    // Φ(1) = 0.841344746068542948585…, so GELU(1) = Φ(1) and GELU(−1) = −(1 − Φ(1)).
    [Fact]
    public void Gelu_is_x_times_the_normal_cdf()
    {
        var y = Tensor.Gelu(Tensor.FromArray([1.0, -1.0, 0.0, -40.0, 40.0], 5)).ToArray();
        Assert.Equal(0.8413447460685429, y[0], 15);
        Assert.Equal(-0.15865525393145707, y[1], 15);
        Assert.Equal(0.0, y[2]);
        Assert.Equal(0.0, y[3]);
        Assert.Equal(40.0, y[4]);
    }

    [Fact]
    public void Gelu_tanh_form_follows_its_formula_and_stays_close_to_the_exact_form()
    {
        var x = Tensor.FromArray([-3.0, -1.0, -0.1, 0.5, 2.0], 5);
        var approximate = Tensor.Gelu(x, approximate: true).ToArray();
        var exact = Tensor.Gelu(x).ToArray();
        var v = x.ToArray();
        for (int i = 0; i < v.Length; i++)
        {
            double expected = 0.5 * v[i] * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v[i] + 0.044715 * v[i] * v[i] * v[i])));
            Assert.Equal(expected, approximate[i], 14);
            Assert.True(Math.Abs(approximate[i] - exact[i]) < 1e-3, $"GELU({v[i]}): tanh form {approximate[i]}, exact {exact[i]}");
        }
    }

    [Fact]
    public void Sin_and_cos_work_in_float_and_keep_the_shape()
    {
        var x = Tensor.FromArray([0f, 1f, -2f, 3.5f, 100f, -0.25f], 2, 3);
        var s = Tensor.Sin(x);
        var c = Tensor.Cos(x);
        Assert.Equal(x.Shape, s.Shape);
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(MathF.Sin(xs[i]), s.ToArray()[i], 6);
            Assert.Equal(MathF.Cos(xs[i]), c.ToArray()[i], 6);
        }
    }
}
