using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>The gradient properties are only worth something if a wrong VJP makes them fail.</summary>
public class CheckerCanFailTests
{
    // tanh with a deliberately wrong VJP (g⊙(1 − y) instead of g⊙(1 − y²)) and a right JVP.
    private static Tensor<double> BrokenTanh(Tensor<double> x) =>
        Trace.Unary("BrokenTanh", x, v => Tensor.Tanh(new Tensor<double>(v)).Value, BrokenTanh, (_, y, g) => g * (1.0 - y),
            (_, y, t) => t * (1.0 - y * y), (x, axis) => new(BrokenTanh(x), axis));

    // tanh with a right VJP and a deliberately wrong JVP (t⊙(1 − y) instead of t⊙(1 − y²)).
    private static Tensor<double> BrokenTanhJvp(Tensor<double> x) =>
        Trace.Unary("BrokenTanhJvp", x, v => Tensor.Tanh(new Tensor<double>(v)).Value, BrokenTanhJvp, (_, y, g) => g * (1.0 - y * y),
            (_, y, t) => t * (1.0 - y), (x, axis) => new(BrokenTanhJvp(x), axis));

    [Fact]
    public void A_wrong_vjp_fails_the_same_property_the_registry_runs()
    {
        var spec = new OpSpec("BrokenTanh", typeof(TanhOp), Generators.Dims(2).Select(d => new OpCase([d], 0)), (x, _) => BrokenTanh(x[0]));
        var result = GradientProperties.Check(spec, new OpCase([[3, 4]], 0), 42, GradCheckOptions.Default);
        Assert.False(result.Passed);
        Assert.NotNull(result.Worst);
        Assert.Equal("x0", result.Worst!.Parameter);
        Assert.Contains("x0[", result.ToString());
    }

    [Fact]
    public void A_wrong_jvp_fails_the_forward_mode_properties_the_registry_runs()
    {
        var spec = new OpSpec("BrokenTanhJvp", typeof(TanhOp), Generators.Dims(2).Select(d => new OpCase([d], 0)), (x, _) => BrokenTanhJvp(x[0]));
        var opCase = new OpCase([[3, 4]], 0);
        Assert.True(GradientProperties.Check(spec, opCase, 42, GradCheckOptions.Default).Passed, "the VJP is right");
        var result = JvpProperties.Check(spec, opCase, 42, GradCheckOptions.Default);
        Assert.False(result.Passed);
        Assert.Equal("output", result.Worst!.Parameter);
        Assert.False(JvpProperties.TransposeGap(spec, opCase, 42).Agrees);
        Assert.False(JvpProperties.HvpPair(spec, opCase, 42).Agrees);
    }

    [Fact]
    public void Every_primitive_op_has_a_gradient_property()
    {
        var primitives = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Op", StringComparison.Ordinal) && t.Namespace == "Autograd.Rnn")
            .Select(t => t.Name)
            .ToHashSet();
        var covered = OpRegistry.All.Select(s => s.Primitive.Name).ToHashSet();
        Assert.Empty(primitives.Except(covered));
    }
}
