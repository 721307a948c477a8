using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// The law every primitive obeys: its reverse-mode gradient equals central finite differences in double,
/// |analytic − numeric| ≤ 1e-6 + 1e-4·|numeric| (GradCheckOptions.Default, step 1e-6), over generated shapes
/// (each dimension 1..6, broadcasting cases included) and values.
/// </summary>
public class GradientProperties
{
    private const int CasesPerOp = 25;

    public static TheoryData<string> SpecNames()
    {
        var data = new TheoryData<string>();
        foreach (var spec in OpRegistry.All) data.Add(spec.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Gradient_matches_finite_differences(string name)
    {
        var spec = OpRegistry.Named(name);
        var cases = Gen.Zip(spec.Cases, Generators.Seed).ToArbitrary();
        Prop.ForAll(cases, c =>
        {
            var (opCase, seed) = c;
            var result = Check(spec, opCase, seed, GradCheckOptions.Default);
            return result.Passed.Label($"{spec.Name} at {opCase}, seed {seed}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    /// <summary>Checks one case: each input is a parameter named x0, x1, …</summary>
    public static GradCheckResult Check(OpSpec spec, OpCase opCase, ulong seed, GradCheckOptions options)
    {
        var parameters = Params<double>.Empty;
        for (int i = 0; i < opCase.Shapes.Length; i++)
            parameters = parameters.Add("x" + i, Values.Draw(opCase.Shapes[i], spec.Domain, seed + (ulong)i * 1000003UL));
        int count = opCase.Shapes.Length;
        return GradCheck.Run(p =>
        {
            var inputs = new Tensor<double>[count];
            for (int i = 0; i < count; i++) inputs[i] = p["x" + i];
            return spec.Function(inputs, opCase.Argument);
        }, parameters, options);
    }
}
