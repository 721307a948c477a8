using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Nn;

/// <summary>Linear: y = x·Wᵀ + b with PyTorch's names, layout and initialisation.</summary>
public class LinearTests
{
    // weight [out 3, in 2], bias [3].
    private static readonly Params<double> Known = Params<double>.Empty
        .Add("weight", Tensor.FromArray(new[] { 1.0, 2.0, -1.0, 0.5, 0.0, 3.0 }, 3, 2))
        .Add("bias", Tensor.FromArray(new[] { 0.1, -0.2, 0.3 }, 3));

    [Fact]
    public void Output_is_input_times_weight_transposed_plus_bias()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2.0, -3.0, 4.0 }, 2, 2);
        var y = Linear.Apply(Known, x);
        Assert.Equal(new Shape(2, 3), y.Shape);
        // row 0: [1·1 + 2·2, −1·1 + 0.5·2, 0·1 + 3·2] + b; row 1: [−3 + 8, 3 + 2, 12] + b
        double[] expected = [5.1, -0.2, 6.3, 5.1, 4.8, 12.3];
        Assert.True(y.AllClose(Tensor.FromArray(expected, 2, 3), 0, 1e-15), y.ToString());
    }

    [Fact]
    public void A_three_d_input_is_mapped_position_by_position()
    {
        var p = Linear.Init<double>(4, 5, seed: 3);
        var x = Tensor.RandomNormal<double>([2, 3, 4], seed: 4);
        var y = Linear.Apply(p, x);
        Assert.Equal(new Shape(2, 3, 5), y.Shape);
        for (int t = 0; t < 2; t++)
        {
            var slice = Tensor.Narrow(x, 0, t, 1).Reshape(3, 4);
            var expected = Linear.Apply(p, slice).Reshape(1, 3, 5);
            Assert.True(Tensor.Narrow(y, 0, t, 1).AllClose(expected, 0, 1e-14), $"time {t}");
        }
    }

    [Fact]
    public void A_vector_input_gives_a_vector()
    {
        var y = Linear.Apply(Known, Tensor.FromArray(new[] { 1.0, 2.0 }, 2));
        Assert.Equal(new Shape(3), y.Shape);
        Assert.True(y.AllClose(Tensor.FromArray(new[] { 5.1, -0.2, 6.3 }, 3), 0, 1e-15));
    }

    [Fact]
    public void Without_bias_there_is_only_a_weight_and_no_offset()
    {
        var p = Linear.Init<double>(2, 3, seed: 1, bias: false);
        Assert.Equal(["weight"], p.Names);
        var x = Tensor.FromArray(new[] { 1.0, 2.0, -3.0, 4.0 }, 2, 2);
        var y = Linear.Apply(Params<double>.Empty.Add("weight", Known["weight"]), x);
        Assert.True(y.AllClose(Tensor.FromArray(new[] { 5.0, 0.0, 6.0, 5.0, 5.0, 12.0 }, 2, 3), 0, 1e-15), y.ToString());
        Assert.Equal(0.0, Linear.Apply(p, Tensor.Zeros<double>(4, 2)).ToArray().Max(Math.Abs));
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(16, 300)]
    [InlineData(300, 16)]
    public void Init_draws_weight_and_bias_from_PyTorchs_uniform_bound_one_over_root_in(int inFeatures, int outFeatures)
    {
        var p = Linear.Init<double>(inFeatures, outFeatures, seed: 9);
        Assert.Equal(["weight", "bias"], p.Names);
        Assert.Equal(new Shape(outFeatures, inFeatures), p["weight"].Shape);
        Assert.Equal(new Shape(outFeatures), p["bias"].Shape);
        double bound = 1.0 / Math.Sqrt(inFeatures);
        foreach (var name in p.Names)
        {
            var values = p[name].ToArray();
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            if (values.Length >= 100) // the whole interval is used, on both sides
            {
                Assert.True(values.Max() > 0.9 * bound && values.Min() < -0.9 * bound, $"{name} spans [{values.Min()}, {values.Max()}]");
                Assert.InRange(values.Average(), -0.2 * bound, 0.2 * bound);
            }
        }
        Assert.NotEqual(p["weight"].ToArray().Take(outFeatures), p["bias"].ToArray());
    }

    [Fact]
    public void Init_with_the_same_seed_is_bit_identical_and_with_another_seed_differs()
    {
        var a = Linear.Init<float>(8, 4, seed: 5);
        var b = Linear.Init<float>(8, 4, seed: 5);
        var c = Linear.Init<float>(8, 4, seed: 6);
        foreach (var name in a.Names)
        {
            Assert.Equal(a[name].ToArray(), b[name].ToArray());
            Assert.NotEqual(a[name].ToArray(), c[name].ToArray());
        }
    }

    [Fact]
    public void A_wrong_input_size_is_refused_naming_both_shapes()
    {
        var p = Linear.Init<double>(5, 3, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Linear.Apply(p, Tensor.Zeros<double>(2, 4)));
        Assert.Contains("Linear", error.Message);
        Assert.Contains("[2,4]", error.Message);
        Assert.Contains("[3,5]", error.Message);
        error = Assert.Throws<ArgumentException>(() => Linear.Apply(p, Tensor.Scalar(1.0)));
        Assert.Contains("[3,5]", error.Message);
    }

    [Fact]
    public void Init_refuses_empty_layers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.Init<double>(0, 3, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Linear.Init<double>(3, 0, seed: 1));
    }

    public sealed record LinearCase(int[] Leading, int In, int Out, bool Bias, ulong Seed)
    {
        public override string ToString() => $"x [{string.Join(",", Leading)},{In}] -> {Out}, bias {Bias}, seed {Seed}";
    }

    private static Arbitrary<LinearCase> Cases { get; } =
        (from rank in Gen.Choose(0, 2)
         from leading in Generators.Dims(rank)
         from inFeatures in Generators.Dimension
         from outFeatures in Generators.Dimension
         from bias in Gen.Elements(true, false)
         from seed in Generators.Seed
         select new LinearCase(leading, inFeatures, outFeatures, bias, seed)).ToArbitrary();

    [Fact]
    public void Linear_gradient_matches_finite_differences_for_weight_bias_and_input()
    {
        Prop.ForAll(Cases, c =>
        {
            var p = Linear.Init<double>(c.In, c.Out, c.Seed, c.Bias)
                .Add("x", Tensor.RandomNormal<double>([.. c.Leading, c.In], c.Seed + 1));
            var result = GradCheck.Run(q => Linear.Apply(q, q["x"]), p);
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }
}
