using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// The laws every primitive's JVP rule obeys, over the same registry, shapes and values as the VJP properties:
/// <list type="bullet">
/// <item>forward mode equals central finite differences in double along random tangents that move every input at once,
/// element by element of the output: |J·v − (f(x + hv) − f(x − hv))/2h| ≤ 1e-6 + 1e-4·|numeric| (GradCheckOptions.Default,
/// step 1e-6, 3 tangents per case);</item>
/// <item>forward and reverse mode are each other's transpose: ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩ for random u and v, within
/// 1e-12 + 1e-10·S, where S is the larger of Σ|uᵢ·(Jv)ᵢ| and Σ|(Jᵀu)ⱼ·vⱼ| — rounding of two exact expressions, so far
/// tighter than any finite difference;</item>
/// <item>forward over reverse equals reverse over reverse: the JVP of the gradient of ⟨u, f⟩ along v equals
/// <c>Grad.Hvp</c> of it, elementwise within 1e-10 + 1e-8·max|H·v| — the JVP rules run on the VJP rules' ops, with
/// duals one level under the reverse level.</item>
/// </list>
/// </summary>
public class JvpProperties
{
    private const int CasesPerOp = 25;

    public static TheoryData<string> SpecNames() => GradientProperties.SpecNames();

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Jvp_matches_finite_differences(string name)
    {
        var spec = OpRegistry.Named(name);
        Prop.ForAll(Gen.Zip(spec.Cases, Generators.Seed).ToArbitrary(), c =>
        {
            var (opCase, seed) = c;
            var result = Check(spec, opCase, seed, GradCheckOptions.Default);
            return result.Passed.Label($"{spec.Name} at {opCase}, seed {seed}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Jvp_is_the_transpose_of_the_Vjp(string name)
    {
        var spec = OpRegistry.Named(name);
        Prop.ForAll(Gen.Zip(spec.Cases, Generators.Seed).ToArbitrary(), c =>
        {
            var (opCase, seed) = c;
            var gap = TransposeGap(spec, opCase, seed);
            return gap.Agrees.Label($"{spec.Name} at {opCase}, seed {seed}: ⟨u, Jv⟩ = {gap.Forward:G17}, ⟨Jᵀu, v⟩ = {gap.Reverse:G17}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Forward_over_reverse_Hvp_equals_reverse_over_reverse(string name)
    {
        var spec = OpRegistry.Named(name);
        Prop.ForAll(Gen.Zip(spec.Cases, Generators.Seed).ToArbitrary(), c =>
        {
            var (opCase, seed) = c;
            var (forward, reverse, agrees) = HvpPair(spec, opCase, seed);
            return agrees.Label($"{spec.Name} at {opCase}, seed {seed}: forward over reverse {forward}, reverse over reverse {reverse}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    /// <summary>H·v of ⟨u, f⟩ both ways, flattened over the inputs in order, and whether they agree.</summary>
    public static (Tensor<double> Forward, Tensor<double> Reverse, bool Agrees) HvpPair(OpSpec spec, OpCase opCase, ulong seed)
    {
        var function = Function(spec, opCase);
        var inputs = Inputs(spec, opCase, seed);
        ulong next = seed ^ 0x5A5A5A5AUL;
        var v = inputs.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), next++));
        var u = Tensor.RandomNormal<double>(function(inputs).Shape.ToArray(), next++);
        Tensor<double> Projected(Params<double> p) => Tensor.Sum(function(p) * u);
        Tensor<double> Flat(Params<double> p) => Tensor.Concat(p.Names.Select(n => p[n].Reshape(-1)).ToArray(), 0);

        var reverse = Flat(Grad.Hvp(Projected, inputs, v).HessianVector);
        var forward = Grad.Jvp(p => Flat(Grad.Gradient(Projected, p)), inputs, v).Tangent;
        double scale = reverse.ToArray().Select(Math.Abs).DefaultIfEmpty(0).Max();
        return (forward, reverse, forward.AllClose(reverse, 0, 1e-10 + 1e-8 * scale));
    }

    /// <summary>Checks one case's JVP against finite differences: each input is a parameter named x0, x1, …</summary>
    public static GradCheckResult Check(OpSpec spec, OpCase opCase, ulong seed, GradCheckOptions options) =>
        GradCheck.JvpCheck(Function(spec, opCase), Inputs(spec, opCase, seed), options with { Directions = 3, Seed = seed });

    /// <summary>⟨u, J·v⟩ from forward mode and ⟨Jᵀ·u, v⟩ from reverse mode, for u and v drawn from the seed.</summary>
    public static TransposePair TransposeGap(OpSpec spec, OpCase opCase, ulong seed)
    {
        var function = Function(spec, opCase);
        var inputs = Inputs(spec, opCase, seed);
        ulong next = seed ^ 0xA5A5A5A5UL;
        var v = inputs.Map(t => Tensor.RandomNormal<double>(t.Shape.ToArray(), next++));
        var jvp = Grad.Jvp(function, inputs, v);
        var u = Tensor.RandomNormal<double>(jvp.Output.Shape.ToArray(), next++);
        var vjp = Grad.Gradient(p => Tensor.Sum(function(p) * u), inputs);

        double forward = 0, forwardScale = 0;
        var uValues = u.ToArray();
        var jv = jvp.Tangent.ToArray();
        for (int i = 0; i < jv.Length; i++)
        {
            forward += uValues[i] * jv[i];
            forwardScale += Math.Abs(uValues[i] * jv[i]);
        }
        double reverse = 0, reverseScale = 0;
        foreach (var (name, g) in vjp)
        {
            var gValues = g.ToArray();
            var vValues = v[name].ToArray();
            for (int j = 0; j < gValues.Length; j++)
            {
                reverse += gValues[j] * vValues[j];
                reverseScale += Math.Abs(gValues[j] * vValues[j]);
            }
        }
        return new TransposePair(forward, reverse, Math.Abs(forward - reverse) <= 1e-12 + 1e-10 * Math.Max(forwardScale, reverseScale));
    }

    public sealed record TransposePair(double Forward, double Reverse, bool Agrees);

    private static Params<double> Inputs(OpSpec spec, OpCase opCase, ulong seed)
    {
        var parameters = Params<double>.Empty;
        for (int i = 0; i < opCase.Shapes.Length; i++)
            parameters = parameters.Add("x" + i, Values.Draw(opCase.Shapes[i], spec.Domain, seed + (ulong)i * 1000003UL));
        return parameters;
    }

    private static Func<Params<double>, Tensor<double>> Function(OpSpec spec, OpCase opCase) => p =>
    {
        var inputs = new Tensor<double>[opCase.Shapes.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = p["x" + i];
        return spec.Function(inputs, opCase.Argument);
    };
}
