using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>Rows for layer normalisation (with and without its affine parameters) and dropout, both compositions.</summary>
public static class NormalizationSpecs
{
    // x of rank 1..3, with weight and bias over its last axis.
    private static Gen<OpCase> WithAffine { get; } =
        from d in Gen.Choose(1, 3).SelectMany(Generators.Dims)
        select new OpCase([d, [d[^1]], [d[^1]]], 0);

    private static Gen<OpCase> Seeded { get; } =
        from d in Generators.AnyDims()
        from seed in Gen.Choose(0, 1_000_000)
        select new OpCase([d], seed);

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("LayerNorm", typeof(SqrtOp), WithAffine, (x, _) => Tensor.LayerNorm(x[0], x[1], x[2])),
        new("LayerNorm without affine parameters, weighted", typeof(SqrtOp), WithAffine,
            (x, _) => Tensor.LayerNorm(x[0], epsilon: 0.1) * x[1]),
        new("LayerNorm second order", typeof(SqrtOp), WithAffine,
            (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.LayerNorm(v, x[1], x[2]))), x[0])),
        new("Dropout", typeof(MultiplyOp), Seeded, (x, seed) => Tensor.Dropout(x[0], 0.3, (ulong)seed)),
    ];
}

/// <summary>Forward behaviour of layer normalisation and dropout, and their validation.</summary>
public class NormalizationTests
{
    [Fact]
    public void LayerNorm_rows_have_zero_mean_and_unit_variance_before_the_affine_part()
    {
        var x = Tensor.RandomNormal<double>([4, 7], 3, mean: 5, standardDeviation: 3);
        var y = Tensor.LayerNorm(x, epsilon: 0);
        var rows = y.ToArray2D();
        for (int r = 0; r < 4; r++)
        {
            double mean = 0, square = 0;
            for (int c = 0; c < 7; c++) { mean += rows[r, c] / 7; square += rows[r, c] * rows[r, c] / 7; }
            Assert.Equal(0, mean, 12);
            Assert.Equal(1, square, 12);
        }
    }

    [Fact]
    public void LayerNorm_matches_hand_computed_values_with_weight_and_bias()
    {
        // Row [1, 2, 3]: mean 2, biased variance 2/3, so (x − 2)/√(2/3 + ε).
        var x = Tensor.FromArray([1f, 2f, 3f], 1, 3);
        var y = Tensor.LayerNorm(x, Tensor.FromArray([1f, 2f, 3f]), Tensor.FromArray([0f, 1f, -1f]), epsilon: 1e-5).ToArray();
        float s = 1f / MathF.Sqrt(2f / 3f + 1e-5f);
        Assert.Equal(-s, y[0], 5);
        Assert.Equal(1f, y[1], 5);
        Assert.Equal(3f * s - 1f, y[2], 5);
    }

    [Fact]
    public void LayerNorm_rejects_bad_shapes_and_epsilons()
    {
        var x = Tensor.Zeros<double>(2, 3);
        Assert.Contains("weight [4]", Assert.Throws<ArgumentException>(() => Tensor.LayerNorm(x, Tensor.Zeros<double>(4))).Message);
        Assert.Throws<ArgumentException>(() => Tensor.LayerNorm(x, bias: Tensor.Zeros<double>(3, 1)));
        Assert.Throws<ArgumentException>(() => Tensor.LayerNorm(Tensor.Scalar(1.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.LayerNorm(x, epsilon: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.LayerNorm(x, epsilon: double.NaN));
    }

    [Fact]
    public void Dropout_is_reproducible_scales_kept_elements_and_keeps_about_one_minus_p()
    {
        var x = Tensor.Ones<float>(100, 100);
        var a = Tensor.Dropout(x, 0.25, 42).ToArray();
        var b = x.Dropout(0.25, 42).ToArray();
        var c = Tensor.Dropout(x, 0.25, 43).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.True(v == 0f || v == 1f / 0.75f, $"{v}"));
        double kept = a.Count(v => v != 0) / 10_000.0;
        Assert.InRange(kept, 0.73, 0.77);
    }

    [Fact]
    public void Dropout_gradient_is_the_same_mask_and_p_zero_is_the_identity()
    {
        var x = Tensor.RandomNormal<double>([5, 6], 1);
        var g = Grad.Gradient(v => Tensor.Sum(Tensor.Dropout(v, 0.5, 7)), x).ToArray();
        var mask = Tensor.Dropout(Tensor.Ones<double>(5, 6), 0.5, 7).ToArray();
        Assert.Equal(mask, g);
        Assert.Same(x, Tensor.Dropout(x, 0.0, 7));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Dropout_probability_must_be_in_zero_to_one(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Dropout(Tensor.Ones<double>(2), p, 1));
}
