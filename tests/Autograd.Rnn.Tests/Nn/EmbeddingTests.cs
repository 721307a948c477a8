using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Nn;

/// <summary>Embedding: a lookup table whose rows are picked by index, with PyTorch's name and N(0, 1) initialisation.</summary>
public class EmbeddingTests
{
    // weight [4 tokens, 2 dimensions]: row k is [k, 10k + 1].
    private static readonly Params<double> Table = Params<double>.Empty
        .Add("weight", Tensor.FromArray(new[] { 0.0, 1.0, 1.0, 11.0, 2.0, 21.0, 3.0, 31.0 }, 4, 2));

    [Fact]
    public void Each_index_picks_its_row_in_order()
    {
        var rows = Embedding.Apply(Table, [3, 0, 3, 2]);
        Assert.Equal(new Shape(4, 2), rows.Shape);
        Assert.Equal([3.0, 31.0, 0.0, 1.0, 3.0, 31.0, 2.0, 21.0], rows.ToArray());
    }

    [Fact]
    public void An_index_shape_gives_that_shape_followed_by_the_dimension()
    {
        var grid = Embedding.Apply(Table, [1, 2, 3, 0, 1, 2], 2, 3); // [time 2, batch 3]
        Assert.Equal(new Shape(2, 3, 2), grid.Shape);
        Assert.Equal(Embedding.Apply(Table, [1, 2, 3, 0, 1, 2]).ToArray(), grid.ToArray());
        Assert.Equal(21.0, grid[0, 1, 1]);
        Assert.Equal(0.0, grid[1, 0, 0]);
    }

    [Fact]
    public void An_index_shape_that_does_not_hold_the_indices_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Embedding.Apply(Table, [1, 2, 3], 2, 2));
        Assert.Contains("Embedding", error.Message);
        Assert.Contains("[2,2]", error.Message);
        Assert.Contains("3 were given", error.Message);
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(-1, 2)]
    [InlineData(100, 0)]
    public void An_index_outside_the_table_is_refused_naming_the_index_and_its_position(int index, int position)
    {
        var indices = new[] { 0, 1, 2 };
        indices[position] = index;
        var error = Assert.ThrowsAny<ArgumentException>(() => Embedding.Apply(Table, indices));
        Assert.Contains("Embedding", error.Message);
        Assert.Contains($"index {index}", error.Message);
        Assert.Contains($"position {position}", error.Message);
        Assert.Contains("4 rows", error.Message);
    }

    [Fact]
    public void Repeated_indices_accumulate_their_gradients_and_unused_rows_get_zero()
    {
        var gradient = Grad.Gradient(p => Tensor.Sum(Embedding.Apply(p, [1, 3, 1, 1], 2, 2)), Table)["weight"];
        Assert.Equal(new Shape(4, 2), gradient.Shape);
        Assert.Equal([0.0, 0.0, 3.0, 3.0, 0.0, 0.0, 1.0, 1.0], gradient.ToArray());
    }

    public sealed record LookupCase(int Count, int Dimension, int[] Indices, int[] IndexShape, ulong Seed)
    {
        public override string ToString() =>
            $"table [{Count},{Dimension}], indices [{string.Join(",", Indices)}] shaped [{string.Join(",", IndexShape)}], seed {Seed}";
    }

    private static Arbitrary<LookupCase> Lookups { get; } =
        (from count in Generators.Dimension
         from dimension in Generators.Dimension
         from indexShape in Gen.Choose(1, 2).SelectMany(Generators.Dims)
         from indices in Gen.ArrayOf(Gen.Choose(0, count - 1), indexShape.Aggregate(1, (a, b) => a * b))
         from seed in Generators.Seed
         select new LookupCase(count, dimension, indices, indexShape, seed)).ToArbitrary();

    [Fact]
    public void Embedding_gradient_matches_finite_differences_with_repeated_indices()
    {
        Prop.ForAll(Lookups, c =>
        {
            var p = Embedding.Init<double>(c.Count, c.Dimension, c.Seed);
            var result = GradCheck.Run(q => Embedding.Apply(q, c.Indices, c.IndexShape), p);
            return result.Passed.Label($"{c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    [Fact]
    public void Init_is_standard_normal_and_deterministic_in_its_seed()
    {
        var p = Embedding.Init<double>(100, 50, seed: 12);
        Assert.Equal(["weight"], p.Names);
        Assert.Equal(new Shape(100, 50), p["weight"].Shape);
        var values = p["weight"].ToArray();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);          // standard error 1/√5000 ≈ 0.014
        Assert.InRange(variance, 0.93, 1.07);       // standard error √(2/5000) ≈ 0.02
        Assert.Equal(values, Embedding.Init<double>(100, 50, seed: 12)["weight"].ToArray());
        Assert.NotEqual(values, Embedding.Init<double>(100, 50, seed: 13)["weight"].ToArray());
        Assert.Equal(Embedding.Init<float>(3, 4, seed: 2)["weight"].ToArray(), Embedding.Init<float>(3, 4, seed: 2)["weight"].ToArray());
    }

    [Fact]
    public void Init_refuses_an_empty_table()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Init<double>(0, 3, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Init<double>(3, 0, seed: 1));
    }
}
