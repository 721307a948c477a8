using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// Rows for the activations and the piecewise ops: sigmoid, relu, softplus, sqrt, abs, pow, clamp, where, max and
/// stop-gradient. Kinked ops draw their inputs away from the kinks (finite differences straddling a kink are meaningless).
/// </summary>
public static class ActivationSpecs
{
    private static Gen<OpCase> Unary { get; } = Generators.AnyDims().Select(d => new OpCase([d], 0));

    private static Gen<OpCase> Pair { get; } = Generators.BroadcastPair().Select(p => new OpCase(p, 0));

    // The argument picks one entry of a table of constants (an exponent, a pair of bounds).
    private static Gen<OpCase> UnaryWithChoice(int choices) =>
        from d in Generators.AnyDims()
        from k in Gen.Choose(0, choices - 1)
        select new OpCase([d], k);

    // Rank 1..3 and an axis in [−rank, rank): negative axes are exercised too.
    private static Gen<OpCase> UnaryWithAxis { get; } =
        from d in Gen.Choose(1, 3).SelectMany(Generators.Dims)
        from axis in Gen.Choose(-d.Length, d.Length - 1)
        select new OpCase([d], axis);

    // a and b broadcast together; the argument seeds the mask's pattern.
    private static Gen<OpCase> WherePair { get; } =
        from pair in Generators.BroadcastPair()
        from pattern in Gen.Choose(0, 1000)
        select new OpCase(pair, pattern);

    // a and b of one shape, the mask a broadcastable reduction of it.
    private static Gen<OpCase> WhereMaskBroadcast { get; } =
        from pair in Generators.BroadcastPair()
        from pattern in Gen.Choose(0, 1000)
        let full = pair[0].Length >= pair[1].Length ? pair[0] : pair[1]
        let reduced = pair[0].Length >= pair[1].Length ? pair[1] : pair[0]
        select new OpCase([full, full, reduced], pattern);

    private static readonly double[] Exponents = [0, 1, 2, 3, -1, 0.5, 2.5, -1.5];

    private static readonly double[] IntegerExponents = [0, 1, 2, 3];

    // Distinct values are multiples of 0.05; bounds at odd multiples of 0.025 stay 0.025 away from every input.
    private static readonly (double Min, double Max)[] InteriorBounds =
        [(-0.125, 0.175), (double.NegativeInfinity, 0.025), (-0.275, double.PositiveInfinity), (-0.325, -0.025)];

    // Away-from-zero values have |x| ≥ 0.2, so bounds at 0 and ±∞ are never straddled.
    private static readonly (double Min, double Max)[] ZeroBounds =
        [(0, double.PositiveInfinity), (double.NegativeInfinity, 0), (0, 0), (double.NegativeInfinity, double.PositiveInfinity)];

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Sigmoid", typeof(SigmoidOp), Unary, (x, _) => Tensor.Sigmoid(x[0])),
        // The fused backward products of σ and tanh are ops of their own; their VJPs carry second derivatives.
        new("SigmoidGradient (σ's backward product)", typeof(SigmoidGradientOp), Pair, (x, _) => SigmoidGradientOp.Apply(x[0], x[1])),
        new("TanhGradient (tanh's backward product)", typeof(TanhGradientOp), Pair, (x, _) => TanhGradientOp.Apply(x[0], x[1])),
        new("Relu", typeof(ReluOp), Unary, (x, _) => Tensor.Relu(x[0]), Domain.AwayFromZero),
        new("Softplus", typeof(SoftplusOp), Unary, (x, _) => Tensor.Softplus(x[0])),
        new("Sqrt", typeof(SqrtOp), Unary, (x, _) => Tensor.Sqrt(x[0]), Domain.Positive),
        new("Abs", typeof(AbsOp), Unary, (x, _) => Tensor.Abs(x[0]), Domain.AwayFromZero),
        new("Pow", typeof(PowOp), UnaryWithChoice(Exponents.Length), (x, k) => Tensor.Pow(x[0], Exponents[k]), Domain.Positive),
        new("Pow integer exponent of any sign", typeof(PowOp), UnaryWithChoice(IntegerExponents.Length),
            (x, k) => Tensor<double>.Pow(x[0], IntegerExponents[k])),
        new("Clamp", typeof(ClampOp), UnaryWithChoice(InteriorBounds.Length),
            (x, k) => Tensor.Clamp(x[0], InteriorBounds[k].Min, InteriorBounds[k].Max), Domain.Distinct),
        new("Clamp at zero and infinite bounds", typeof(ClampOp), UnaryWithChoice(ZeroBounds.Length),
            (x, k) => x[0].Clamp(ZeroBounds[k].Min, ZeroBounds[k].Max), Domain.AwayFromZero),
        new("Where", typeof(WhereOp), WherePair,
            (x, pattern) => Tensor.Where(Mask(BroadcastShape(x[0].Shape, x[1].Shape), pattern), x[0], x[1])),
        new("Where with a broadcast mask", typeof(WhereOp), WhereMaskBroadcast,
            (x, pattern) => Tensor.Where(Mask(x[2].Shape, pattern), x[0], x[1] * x[2])),
        new("Max along an axis", typeof(MaxOp), UnaryWithAxis, (x, axis) => Tensor.Max(x[0], axis), Domain.Distinct),
        new("Max along an axis, kept", typeof(MaxOp), UnaryWithAxis, (x, axis) => x[0].Max(axis, keepDimension: true), Domain.Distinct),
        new("Max of all elements", typeof(MaxOp), Unary, (x, _) => x[0].Max(), Domain.Distinct),
        // StopGradient breaks the link between a value and its derivative, so finite differences only agree with
        // reverse mode if the function's value is rebuilt to match: f(x) = StopGradient(x)⊙x − ½·c⊙c with c a raw copy
        // of x has value ½x² and derivative x. A correct StopGradient gives x; one that lets gradients through gives 2x.
        new("StopGradient", typeof(StopGradientOp), Unary,
            (x, _) => Tensor.StopGradient(x[0]) * x[0] - 0.5 * RawCopy(x[0]) * RawCopy(x[0])),
    ];

    /// <summary>A constant 0/1 mask of <paramref name="shape"/> with a pattern fixed by <paramref name="pattern"/>: about two thirds ones.</summary>
    public static Tensor<double> Mask(Shape shape, int pattern)
    {
        var values = new double[shape.Size];
        for (int i = 0; i < values.Length; i++) values[i] = (i * 7 + pattern) % 3 == 0 ? 0.0 : 1.0;
        return shape.Rank == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape.ToArray());
    }

    private static Shape BroadcastShape(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var d = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b[i - (rank - b.Rank)];
            d[i] = Math.Max(da, db);
        }
        return new Shape(d);
    }

    // The values of x through the public API only: a constant whatever x's tracing.
    private static Tensor<double> RawCopy(Tensor<double> x) =>
        x.Rank == 0 ? Tensor.Scalar(x.Item) : Tensor.FromArray(x.ToArray(), x.Shape.ToArray());
}
