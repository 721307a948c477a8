using System.Numerics;
using Autograd.Rnn.Kernels;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Kernels;

/// <summary>
/// The elementwise span kernels against their scalar form, for every length 0..70 (covers the Vector512, Vector256
/// and Vector128 bodies and every remainder for float and double) and with NaN, ±∞ and ±0 placed at every position;
/// the broadcasting driver and SumTo against naive index-by-index references.
/// Tolerances: +, −, ×, ÷, max and negation are exact in IEEE arithmetic, so they must agree bit for bit (any NaN
/// matches any NaN). Tanh, exp and log are approximations: relative error ≤ 4 ulp-ish (2e-6 float, 4e-15 double),
/// except that special results (±0, ±∞, ±1 from tanh of ±∞, NaN) must be exact, sign of zero included.
/// </summary>
public class ElementwiseKernelTests
{
    private const int MaxLength = 70;

    private static readonly double[] Specials =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0];

    // ---- unary -----------------------------------------------------------------------------------------------

    [Fact] public void Negate_matches_scalar_negation_for_every_length() => CheckUnaryBothTypes<NegateFloat, NegateDouble>(-100, 100);
    [Fact] public void Tanh_matches_scalar_tanh_for_every_length() => CheckUnaryBothTypes<TanhFloat, TanhDouble>(-12, 12);
    [Fact] public void Exp_matches_scalar_exp_for_every_length() => CheckUnaryBothTypes<ExpFloat, ExpDouble>(-80, 80);
    [Fact] public void Log_matches_scalar_log_for_every_length() => CheckUnaryBothTypes<LogFloat, LogDouble>(-1, 1e6);

    [Fact]
    public void Special_values_map_to_their_ieee_results()
    {
        AssertSpecial<TanhOperator<double>>(0.0, 0.0); AssertSpecial<TanhOperator<double>>(-0.0, -0.0);
        AssertSpecial<TanhOperator<double>>(double.PositiveInfinity, 1.0); AssertSpecial<TanhOperator<double>>(double.NegativeInfinity, -1.0);
        AssertSpecial<ExpOperator<double>>(double.NegativeInfinity, 0.0); AssertSpecial<ExpOperator<double>>(double.PositiveInfinity, double.PositiveInfinity);
        AssertSpecial<ExpOperator<double>>(-0.0, 1.0); AssertSpecial<ExpOperator<double>>(1000, double.PositiveInfinity);
        AssertSpecial<LogOperator<double>>(0.0, double.NegativeInfinity); AssertSpecial<LogOperator<double>>(-0.0, double.NegativeInfinity);
        AssertSpecial<LogOperator<double>>(double.PositiveInfinity, double.PositiveInfinity); AssertSpecial<LogOperator<double>>(-1.0, double.NaN);
        AssertSpecial<NegateOperator<double>>(0.0, -0.0); AssertSpecial<NegateOperator<double>>(double.NegativeInfinity, double.PositiveInfinity);
        foreach (var special in Specials.Where(double.IsNaN))
        {
            AssertSpecial<TanhOperator<double>>(special, double.NaN);
            AssertSpecial<ExpOperator<double>>(special, double.NaN);
            AssertSpecial<LogOperator<double>>(special, double.NaN);
            AssertSpecial<NegateOperator<double>>(special, double.NaN);
        }
    }

    [Fact]
    public void Tanh_keeps_full_relative_precision_for_tiny_arguments()
    {
        // tanh x ≈ x − x³/3 near 0: computing it as 1 − e^(−2|x|) loses every digit there, so check magnitudes
        // 1e-30 … 1 (both signs) in every vector position, against the scalar form, at the same tolerances as above.
        var magnitudes = Enumerable.Range(0, 61).Select(k => Math.Pow(10, -30 + 0.5 * k)).ToArray();
        for (int length = 1; length <= MaxLength; length++)
        {
            var xd = Enumerable.Range(0, length).Select(i => (i % 2 == 0 ? 1 : -1) * magnitudes[(i * 7 + length) % magnitudes.Length]).ToArray();
            var xf = xd.Select(v => (float)v).ToArray();
            var dd = new double[length];
            var df = new float[length];
            TanhOperator<double>.Invoke(xd, dd);
            TanhOperator<float>.Invoke(xf, df);
            for (int i = 0; i < length; i++)
            {
                if (!Close(Math.Tanh(xd[i]), dd[i], 4e-15)) Assert.Fail($"tanh({xd[i]}) = {dd[i]}, scalar {Math.Tanh(xd[i])}");
                if (!Close(MathF.Tanh(xf[i]), df[i], 2e-6)) Assert.Fail($"tanh({xf[i]}f) = {df[i]}, scalar {MathF.Tanh(xf[i])}");
            }
        }
    }

    [Fact]
    public void Unary_kernels_may_write_over_their_input()
    {
        foreach (int length in new[] { 0, 1, 7, 64, 300, 1000 })
        {
            var x = Tensor.RandomUniform<double>([length], 5, -1, 1).ToArray();
            var expected = new double[length];
            TanhOperator<double>.Invoke(x, expected);
            TanhOperator<double>.Invoke(x, x);
            Assert.Equal(expected, x);
        }
    }

    // In a vector of every length 1..70, each special value at every position gives its scalar result there.
    internal static void AssertSpecial<TOperator>(double input, double expected) where TOperator : IUnarySpanOperator<double>
    {
        for (int length = 1; length <= MaxLength; length++)
            for (int at = 0; at < length; at++)
            {
                var x = new double[length];
                x.AsSpan().Fill(0.5);
                x[at] = input;
                var d = new double[length];
                TOperator.Invoke(x, d);
                if (!SameBits(expected, d[at])) Assert.Fail($"{typeof(TOperator).Name}({input}) = {d[at]}, expected {expected} (length {length}, position {at})");
            }
    }

    internal static void CheckUnaryBothTypes<TFloat, TDouble>(double low, double high)
        where TFloat : IScalarForm<float> where TDouble : IScalarForm<double>
    {
        CheckUnary<float, TFloat>(low, high, 2e-6);
        CheckUnary<double, TDouble>(low, high, 4e-15);
    }

    internal static void CheckUnary<T, TForm>(double low, double high, double relativeTolerance)
        where T : unmanaged, IFloatingPointIeee754<T> where TForm : IScalarForm<T>
    {
        for (int length = 0; length <= MaxLength; length++)
        {
            var x = Tensor.RandomUniform<T>([length], (ulong)length, low, high).ToArray();
            // Special values in rotating positions so that every length sees them in vector bodies and tails.
            for (int i = 0; i < x.Length; i += 7) x[i] = T.CreateChecked(Specials[(i / 7 + length) % Specials.Length]);
            var d = new T[length];
            TForm.Span(x, d);
            for (int i = 0; i < length; i++)
            {
                T expected = TForm.Scalar(x[i]);
                if (!Close(expected, d[i], relativeTolerance))
                    Assert.Fail($"{typeof(TForm).Name}({x[i]}) = {d[i]}, scalar form {expected} (length {length}, index {i})");
            }
        }
    }

    internal static bool Close<T>(T expected, T actual, double relativeTolerance) where T : IFloatingPointIeee754<T>
    {
        if (T.IsNaN(expected) || T.IsInfinity(expected) || T.IsZero(expected) || T.IsNaN(actual)) return SameBits(expected, actual);
        double e = double.CreateChecked(expected), a = double.CreateChecked(actual);
        return Math.Abs(a - e) <= relativeTolerance * Math.Abs(e);
    }

    // Equal bit patterns, except that any NaN matches any NaN (payloads are not specified).
    internal static bool SameBits<T>(T expected, T actual) where T : IFloatingPointIeee754<T> =>
        T.IsNaN(expected) ? T.IsNaN(actual) : expected.Equals(actual) && T.IsNegative(expected) == T.IsNegative(actual);

    /// <summary>An op in span form (the kernel) and scalar form (the reference).</summary>
    public interface IScalarForm<T>
    {
        static abstract void Span(ReadOnlySpan<T> x, Span<T> d);
        static abstract T Scalar(T x);
    }

    public readonly struct NegateFloat : IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => NegateOperator<float>.Invoke(x, d); public static float Scalar(float x) => -x; }
    public readonly struct NegateDouble : IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => NegateOperator<double>.Invoke(x, d); public static double Scalar(double x) => -x; }
    public readonly struct TanhFloat : IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => TanhOperator<float>.Invoke(x, d); public static float Scalar(float x) => MathF.Tanh(x); }
    public readonly struct TanhDouble : IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => TanhOperator<double>.Invoke(x, d); public static double Scalar(double x) => Math.Tanh(x); }
    public readonly struct ExpFloat : IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => ExpOperator<float>.Invoke(x, d); public static float Scalar(float x) => MathF.Exp(x); }
    public readonly struct ExpDouble : IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => ExpOperator<double>.Invoke(x, d); public static double Scalar(double x) => Math.Exp(x); }
    public readonly struct LogFloat : IScalarForm<float> { public static void Span(ReadOnlySpan<float> x, Span<float> d) => LogOperator<float>.Invoke(x, d); public static float Scalar(float x) => MathF.Log(x); }
    public readonly struct LogDouble : IScalarForm<double> { public static void Span(ReadOnlySpan<double> x, Span<double> d) => LogOperator<double>.Invoke(x, d); public static double Scalar(double x) => Math.Log(x); }

    // ---- binary, the three run forms ---------------------------------------------------------------------------

    public static TheoryData<string> BinaryNames => new() { "Add", "Subtract", "Multiply", "Divide", "Max" };

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void Binary_kernels_match_scalar_arithmetic_bit_for_bit_for_every_length_and_form(string name)
    {
        switch (name)
        {
            case "Add": CheckBinary<AddOperator<float>, float>((a, b) => a + b); CheckBinary<AddOperator<double>, double>((a, b) => a + b); break;
            case "Subtract": CheckBinary<SubtractOperator<float>, float>((a, b) => a - b); CheckBinary<SubtractOperator<double>, double>((a, b) => a - b); break;
            case "Multiply": CheckBinary<MultiplyOperator<float>, float>((a, b) => a * b); CheckBinary<MultiplyOperator<double>, double>((a, b) => a * b); break;
            case "Divide": CheckBinary<DivideOperator<float>, float>((a, b) => a / b); CheckBinary<DivideOperator<double>, double>((a, b) => a / b); break;
            case "Max": CheckBinary<MaxOperator<float>, float>(float.Max); CheckBinary<MaxOperator<double>, double>(double.Max); break;
        }
    }

    internal static void CheckBinary<TOperator, T>(Func<T, T, T> scalar)
        where TOperator : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scalars = Specials.Select(T.CreateChecked).Concat([T.CreateChecked(2.5), T.CreateChecked(-0.75)]).ToArray();
        for (int length = 0; length <= MaxLength; length++)
        {
            var x = Tensor.RandomNormal<T>([length], (ulong)length).ToArray();
            var y = Tensor.RandomNormal<T>([length], (ulong)length + 1000).ToArray();
            // Specials at rotating positions in both operands, meeting each other and ordinary numbers.
            for (int i = 0; i < length; i += 3) x[i] = T.CreateChecked(Specials[(i + length) % Specials.Length]);
            for (int i = 0; i < length; i += 4) y[i] = T.CreateChecked(Specials[(i / 4 + length) % Specials.Length]);
            var d = new T[length];

            TOperator.Invoke(x, y, d);
            for (int i = 0; i < length; i++) AssertSameBits(scalar(x[i], y[i]), d[i], () => $"{typeof(TOperator).Name}({x[i]}, {y[i]}), length {length}");

            foreach (var s in scalars)
            {
                TOperator.Invoke(x, s, d);
                for (int i = 0; i < length; i++) AssertSameBits(scalar(x[i], s), d[i], () => $"{typeof(TOperator).Name}(run {x[i]}, scalar {s}), length {length}");
                TOperator.Invoke(s, y, d);
                for (int i = 0; i < length; i++) AssertSameBits(scalar(s, y[i]), d[i], () => $"{typeof(TOperator).Name}(scalar {s}, run {y[i]}), length {length}");
            }
        }
    }

    private static void AssertSameBits<T>(T expected, T actual, Func<string> what) where T : IFloatingPointIeee754<T>
    {
        if (!SameBits(expected, actual)) Assert.Fail($"{what()} = {actual}, scalar form {expected}");
    }

    // ---- the broadcasting driver and SumTo ---------------------------------------------------------------------

    /// <summary>
    /// Two shapes that broadcast together, in every mix: per axis both full, one of them 1, or both 1, and any number
    /// of leading axes dropped from either; dimensions 0..5 (zero-size results included, but rarely).
    /// </summary>
    private static readonly Gen<(int[] A, int[] B)> BroadcastPairs =
        from rank in Gen.Choose(0, 4)
        from full in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (12, Gen.Choose(1, 5))), rank)
        from modes in Gen.ArrayOf(Gen.Choose(0, 3), rank)
        from dropA in Gen.Choose(0, rank)
        from dropB in Gen.Choose(0, rank)
        let a = full.Select((d, i) => modes[i] is 1 or 3 ? 1 : d).Skip(dropA).ToArray()
        let b = full.Select((d, i) => modes[i] is 2 or 3 ? 1 : d).Skip(dropB).ToArray()
        select (a, b);

    [Fact]
    public void Broadcast_driver_matches_a_naive_index_by_index_reference() =>
        Prop.ForAll(Gen.Zip(BroadcastPairs, Gen.Choose(0, 10_000)).ToArbitrary(), c =>
        {
            var ((aDims, bDims), seed) = c;
            var a = new Shape(aDims);
            var b = new Shape(bDims);
            var x = SmallIntegers(a.Size, seed);
            var y = SmallIntegers(b.Size, seed + 1).Select(v => v == 0 ? 3.0 : v).ToArray();
            var outShape = Broadcasting.Result(a, b, "Test");
            // Divide and subtract are not symmetric: a swapped operand in any path of the driver shows up.
            var quotient = new double[outShape.Size];
            BinaryKernels.Broadcast<double, DivideOperator<double>>(x, a, y, b, quotient, outShape);
            var difference = new double[outShape.Size];
            BinaryKernels.Broadcast<double, SubtractOperator<double>>(x, a, y, b, difference, outShape);
            var expectedQuotient = NaiveBroadcast(x, a, y, b, outShape, (p, q) => p / q);
            var expectedDifference = NaiveBroadcast(x, a, y, b, outShape, (p, q) => p - q);
            return (quotient.SequenceEqual(expectedQuotient) && difference.SequenceEqual(expectedDifference))
                .Label($"{a} op {b} -> {outShape}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));

    [Fact]
    public void BroadcastTo_repeats_values_like_the_naive_reference() =>
        Prop.ForAll(Gen.Zip(BroadcastPairs, Gen.Choose(0, 10_000)).ToArbitrary(), c =>
        {
            var ((aDims, bDims), seed) = c;
            var from = new Shape(aDims);
            var to = Broadcasting.Result(from, new Shape(bDims), "Test");
            var x = SmallIntegers(from.Size, seed);
            var result = Elementwise.BroadcastTo(new NdArray<double>(x, from), to, "Test");
            var expected = NaiveBroadcast([0.0], Shape.Scalar, x, from, to, (_, q) => q);
            return (result.Shape == to && result.ToArray().SequenceEqual(expected)).Label($"{from} -> {to}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void SumTo_matches_a_naive_reference() =>
        Prop.ForAll(Gen.Zip(BroadcastPairs, Gen.Choose(0, 10_000)).ToArbitrary(), c =>
        {
            var ((aDims, bDims), seed) = c;
            var target = new Shape(aDims);
            var xShape = Broadcasting.Result(target, new Shape(bDims), "Test");
            // Small integers: every summation order gives the same exact result.
            var x = SmallIntegers(xShape.Size, seed);
            var destination = Enumerable.Repeat(double.NaN, target.Size).ToArray(); // must be overwritten
            ReductionKernels.SumTo<double>(x, xShape, destination, target);
            var expected = NaiveSumTo(x, xShape, target);
            return destination.SequenceEqual(expected).Label($"{xShape} summed to {target}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));

    [Fact]
    public void SumTo_in_float_over_long_runs_is_close_to_a_double_reference()
    {
        // Exercises the vectorised row additions and sums with remainders; tolerance 1e-5 relative to Σ|x|.
        foreach (var (xDims, targetDims) in new[] { (new[] { 7, 67 }, new[] { 67 }), ([7, 67], [7, 1]), ([3, 5, 33], [3, 1, 33]), ([3, 5, 33], [5, 1]) })
        {
            var xShape = new Shape(xDims);
            var target = new Shape(targetDims);
            var x = Tensor.RandomNormal<float>(xDims, 9).ToArray();
            var destination = new float[target.Size];
            ReductionKernels.SumTo<float>(x, xShape, destination, target);
            var expected = NaiveSumTo(x.Select(v => (double)v).ToArray(), xShape, target);
            double scale = x.Sum(v => Math.Abs(v));
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(destination[i] - expected[i]) <= 1e-5 * scale, $"{xShape} -> {target}, entry {i}: {destination[i]} vs {expected[i]}");
        }
    }

    private static double[] SmallIntegers(int n, int seed) =>
        Tensor.RandomUniform<double>([n], (ulong)seed, -9, 10).ToArray().Select(Math.Floor).ToArray();

    private static double[] NaiveBroadcast(double[] x, Shape xShape, double[] y, Shape yShape, Shape outShape, Func<double, double, double> op)
    {
        var result = new double[outShape.Size];
        var index = new int[outShape.Rank];
        for (int flat = 0; flat < result.Length; flat++)
        {
            Unravel(flat, outShape, index);
            result[flat] = op(x[SourceOffset(index, xShape)], y[SourceOffset(index, yShape)]);
        }
        return result;
    }

    private static double[] NaiveSumTo(double[] x, Shape xShape, Shape target)
    {
        var result = new double[target.Size];
        var index = new int[xShape.Rank];
        for (int flat = 0; flat < x.Length; flat++)
        {
            Unravel(flat, xShape, index);
            result[SourceOffset(index, target)] += x[flat];
        }
        return result;
    }

    private static void Unravel(int flat, Shape shape, int[] index)
    {
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
    }

    // The row-major offset in `source` (aligned to the right of `index`) of the element broadcast to `index`.
    private static int SourceOffset(int[] index, Shape source)
    {
        int offset = 0, skip = index.Length - source.Rank;
        for (int axis = 0; axis < source.Rank; axis++)
            offset = offset * source[axis] + (source[axis] == 1 ? 0 : index[skip + axis]);
        return offset;
    }
}
