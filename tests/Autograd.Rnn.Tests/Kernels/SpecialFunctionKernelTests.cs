using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn.Tests.Kernels;

/// <summary>
/// Sin, cos, erf and the comparison kernels against their scalar forms, with the same lengths (0..70), special values
/// and tolerances as <see cref="ElementwiseKernelTests"/>; erf, which has no scalar form in .NET, against a reference
/// series of positive terms and against published values.
/// </summary>
public class SpecialFunctionKernelTests
{
    [Fact] public void Sin_matches_scalar_sin_for_every_length() => ElementwiseKernelTests.CheckUnaryBothTypes<SinFloat, SinDouble>(-3, 3);
    [Fact] public void Cos_matches_scalar_cos_for_every_length() => ElementwiseKernelTests.CheckUnaryBothTypes<CosFloat, CosDouble>(-3, 3);
    [Fact] public void Erf_matches_the_reference_series_for_every_length() => ElementwiseKernelTests.CheckUnaryBothTypes<ErfFloat, ErfDouble>(-7, 7);

    [Fact]
    public void Special_values_of_sin_cos_and_erf_map_to_their_ieee_results()
    {
        ElementwiseKernelTests.AssertSpecial<SinOperator<double>>(0.0, 0.0);
        ElementwiseKernelTests.AssertSpecial<SinOperator<double>>(-0.0, -0.0);
        ElementwiseKernelTests.AssertSpecial<CosOperator<double>>(-0.0, 1.0);
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(0.0, 0.0);
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(-0.0, -0.0);
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(double.PositiveInfinity, 1.0);
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(double.NegativeInfinity, -1.0);
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(30.0, 1.0);
        foreach (var input in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            ElementwiseKernelTests.AssertSpecial<SinOperator<double>>(input, double.NaN);
            ElementwiseKernelTests.AssertSpecial<CosOperator<double>>(input, double.NaN);
        }
        ElementwiseKernelTests.AssertSpecial<ErfOperator<double>>(double.NaN, double.NaN);
    }

    [Theory]
    // erf at a few points, to 20 digits (Abramowitz and Stegun, table 7.1; DLMF 7.2).
    [InlineData(0.1, 0.11246291601828489220)]
    [InlineData(0.5, 0.52049987781304653768)]
    [InlineData(1.0, 0.84270079294971486934)]
    [InlineData(2.0, 0.99532226501895273416)]
    [InlineData(3.0, 0.99997790950300141456)]
    public void Erf_agrees_with_published_values_to_double_precision(double x, double expected)
    {
        var d = new double[2];
        ErfOperator<double>.Invoke([x, -x], d);
        Assert.True(Math.Abs(d[0] - expected) <= 2e-16 * expected, $"erf({x}) = {d[0]:R}, expected {expected:R}");
        Assert.Equal(-d[0], d[1]);
    }

    [Fact]
    public void Erf_keeps_full_relative_precision_for_tiny_arguments()
    {
        var d = new double[1];
        foreach (var x in new[] { 1e-300, 1e-20, 1e-9, 1e-5 })
        {
            ErfOperator<double>.Invoke([x], d);
            double expected = Reference(x);
            Assert.True(Math.Abs(d[0] - expected) <= 4e-16 * expected, $"erf({x}) = {d[0]:R}, expected {expected:R}");
        }
    }

    public static TheoryData<string> ComparisonNames => new() { "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Equal", "MaximumTakesFirst", "MinimumTakesFirst" };

    [Theory]
    [MemberData(nameof(ComparisonNames))]
    public void Comparison_kernels_match_scalar_comparisons_bit_for_bit_for_every_length_and_form(string name)
    {
        switch (name)
        {
            case "Greater": Check<GreaterRule<float>, GreaterRule<double>>((a, b) => a > b); break;
            case "Less": Check<LessRule<float>, LessRule<double>>((a, b) => a < b); break;
            case "GreaterOrEqual": Check<GreaterOrEqualRule<float>, GreaterOrEqualRule<double>>((a, b) => a >= b); break;
            case "LessOrEqual": Check<LessOrEqualRule<float>, LessOrEqualRule<double>>((a, b) => a <= b); break;
            case "Equal": Check<EqualRule<float>, EqualRule<double>>((a, b) => a == b); break;
            // The IEEE maximum (minimum) of a and b has a's bits exactly when the rule takes a.
            case "MaximumTakesFirst": Check<MaximumTakesFirstRule<float>, MaximumTakesFirstRule<double>>((a, b) => SameBits(double.Max(a, b), a)); break;
            case "MinimumTakesFirst": Check<MinimumTakesFirstRule<float>, MinimumTakesFirstRule<double>>((a, b) => SameBits(double.Min(a, b), a)); break;
        }
    }

    private static void Check<TFloat, TDouble>(Func<double, double, bool> holds)
        where TFloat : ICompareRule<float> where TDouble : ICompareRule<double>
    {
        ElementwiseKernelTests.CheckBinary<CompareOperator<float, TFloat>, float>((a, b) => holds(a, b) ? 1f : 0f);
        ElementwiseKernelTests.CheckBinary<CompareOperator<double, TDouble>, double>((a, b) => holds(a, b) ? 1.0 : 0.0);
    }

    private static bool SameBits(double x, double y) => double.IsNaN(x) ? double.IsNaN(y) : BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y);

    // erf x = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): every term positive, so no cancellation; summed until the
    // terms no longer change the sum (Abramowitz and Stegun 7.1.6). Used for |x| ≤ 7 (beyond ~6 erf is ±1 in double).
    private static double Reference(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return double.IsInfinity(x) ? Math.Sign(x) : x;
        double y = Math.Abs(x), term = y, sum = y;
        for (int n = 1; n < 10_000; n++)
        {
            term *= 2 * y * y / (2 * n + 1);
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }
        double erf = Math.Min(1.0, 2 / Math.Sqrt(Math.PI) * Math.Exp(-y * y) * sum);
        return x < 0 ? -erf : erf;
    }

    public readonly struct SinFloat : ElementwiseKernelTests.IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => SinOperator<float>.Invoke(x, d); public static float Scalar(float x) => MathF.Sin(x); }
    public readonly struct SinDouble : ElementwiseKernelTests.IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => SinOperator<double>.Invoke(x, d); public static double Scalar(double x) => Math.Sin(x); }
    public readonly struct CosFloat : ElementwiseKernelTests.IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => CosOperator<float>.Invoke(x, d); public static float Scalar(float x) => MathF.Cos(x); }
    public readonly struct CosDouble : ElementwiseKernelTests.IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => CosOperator<double>.Invoke(x, d); public static double Scalar(double x) => Math.Cos(x); }
    public readonly struct ErfFloat : ElementwiseKernelTests.IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => ErfOperator<float>.Invoke(x, d); public static float Scalar(float x) => (float)Reference(x); }
    public readonly struct ErfDouble : ElementwiseKernelTests.IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => ErfOperator<double>.Invoke(x, d); public static double Scalar(double x) => Reference(x); }
}
