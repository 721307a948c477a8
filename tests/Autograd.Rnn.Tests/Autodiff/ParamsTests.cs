namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>Params: an immutable, ordered, named collection of tensors.</summary>
public class ParamsTests
{
    private static readonly Tensor<double> A = Tensor.Full(1.0, 2, 3);
    private static readonly Tensor<double> B = Tensor.Full(2.0, 3);
    private static readonly Tensor<double> C = Tensor.Scalar(3.0);

    private static Params<double> Abc() => Params<double>.Empty.Add("weight_ih_l0", A).Add("bias_ih_l0", B).Add("scale", C);

    [Fact]
    public void Names_keep_insertion_order_not_alphabetical_order()
    {
        var p = Params<double>.Empty.Add("z", A).Add("a", B).Add("m", C);
        Assert.Equal(new[] { "z", "a", "m" }, p.Names);
        Assert.Equal(new[] { "z", "a", "m" }, p.Select(pair => pair.Key));
        Assert.Equal(3, p.Count);
        Assert.Equal(6 + 3 + 1, p.ElementCount);
    }

    [Fact]
    public void Indexing_by_name_returns_the_same_tensor()
    {
        var p = Abc();
        Assert.Same(A, p["weight_ih_l0"]);
        Assert.Same(C, p["scale"]);
        Assert.True(p.Contains("bias_ih_l0"));
        Assert.False(p.Contains("bias_hh_l0"));
    }

    [Fact]
    public void A_missing_name_is_reported_with_the_names_there_are()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Abc()["bias_hh_l0"]);
        Assert.Contains("'bias_hh_l0'", error.Message);
        Assert.Contains("weight_ih_l0, bias_ih_l0, scale", error.Message);
    }

    [Fact]
    public void Adding_an_existing_name_throws_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => Abc().Add("scale", C));
        Assert.Contains("'scale'", error.Message);
        Assert.Throws<ArgumentException>(() => Abc().Add("", C));
        Assert.Throws<ArgumentNullException>(() => Abc().Add(null!, C));
        Assert.Throws<ArgumentNullException>(() => Abc().Add("other", null!));
    }

    [Fact]
    public void Every_change_returns_a_new_collection_and_leaves_the_original_alone()
    {
        var p = Abc();
        var q = p.Add("extra", C).With("scale", B).Map(t => t * 2.0);
        Assert.Equal(new[] { "weight_ih_l0", "bias_ih_l0", "scale" }, p.Names);
        Assert.Same(C, p["scale"]);
        Assert.Equal(4, q.Count);
        Assert.Equal(3, Params<double>.Empty.Add("x", A).Add("y", B).Add("z", C).Count);
        Assert.Empty(Params<double>.Empty);
    }

    [Fact]
    public void With_replaces_an_existing_name_in_place()
    {
        var p = Abc().With("bias_ih_l0", C);
        Assert.Equal(new[] { "weight_ih_l0", "bias_ih_l0", "scale" }, p.Names);
        Assert.Same(C, p["bias_ih_l0"]);
    }

    [Fact]
    public void With_appends_a_new_name_at_the_end()
    {
        var p = Abc().With("bias_hh_l0", B);
        Assert.Equal(new[] { "weight_ih_l0", "bias_ih_l0", "scale", "bias_hh_l0" }, p.Names);
        Assert.Same(B, p["bias_hh_l0"]);
    }

    [Fact]
    public void Map_keeps_names_and_order()
    {
        var doubled = Abc().Map(t => t * 2.0);
        Assert.Equal(Abc().Names, doubled.Names);
        Assert.All(doubled["weight_ih_l0"].ToArray(), v => Assert.Equal(2.0, v));
        var named = Abc().Map((name, t) => name == "scale" ? t + 1.0 : t);
        Assert.Equal(4.0, named["scale"].Item);
        Assert.Same(A, named["weight_ih_l0"]);
    }

    [Fact]
    public void Zip_combines_by_name_whatever_the_other_order()
    {
        var p = Abc();
        var reordered = Params<double>.Empty.Add("scale", C * 10.0).Add("weight_ih_l0", A * 10.0).Add("bias_ih_l0", B * 10.0);
        var sum = p.Zip(reordered, (x, y) => x + y);
        Assert.Equal(p.Names, sum.Names);
        Assert.Equal(33.0, sum["scale"].Item);
        Assert.All(sum["bias_ih_l0"].ToArray(), v => Assert.Equal(22.0, v));
    }

    [Fact]
    public void Zip_with_different_names_lists_both_sets()
    {
        var other = Params<double>.Empty.Add("weight_ih_l0", A).Add("bias_hh_l0", B).Add("scale", C);
        var error = Assert.Throws<ArgumentException>(() => Abc().Zip(other, (x, _) => x));
        Assert.Contains("Params.Zip", error.Message);
        Assert.Contains("bias_ih_l0", error.Message);
        Assert.Contains("bias_hh_l0", error.Message);
        Assert.Throws<ArgumentException>(() => Abc().Zip(Params<double>.Empty.Add("scale", C), (x, _) => x));
    }

    [Fact]
    public void WithPrefix_and_Select_are_inverse()
    {
        var prefixed = Abc().WithPrefix("encoder.");
        Assert.Equal(new[] { "encoder.weight_ih_l0", "encoder.bias_ih_l0", "encoder.scale" }, prefixed.Names);
        var both = prefixed.Concat(Params<double>.Empty.Add("decoder.weight", B));
        var back = both.Select("encoder.");
        Assert.Equal(Abc().Names, back.Names);
        Assert.Same(A, back["weight_ih_l0"]);
        Assert.Equal(new[] { "weight" }, both.Select("decoder.").Names);
        Assert.Empty(both.Select("nothing."));
    }

    [Fact]
    public void Concat_appends_in_order_and_rejects_a_shared_name()
    {
        var p = Abc().Concat(Params<double>.Empty.Add("w2", A).Add("b2", B));
        Assert.Equal(new[] { "weight_ih_l0", "bias_ih_l0", "scale", "w2", "b2" }, p.Names);
        var error = Assert.Throws<ArgumentException>(() => Abc().Concat(Params<double>.Empty.Add("scale", C)));
        Assert.Contains("'scale'", error.Message);
        Assert.Equal(Abc().Names, Abc().Concat(Params<double>.Empty).Names);
    }

    [Fact]
    public void Create_keeps_the_order_given_and_rejects_duplicates()
    {
        var fromPairs = Params.Create(new[] { KeyValuePair.Create("b", B), KeyValuePair.Create("a", A) });
        Assert.Equal(new[] { "b", "a" }, fromPairs.Names);
        var fromTuples = Params.Create(new[] { Tuple.Create("x", C), Tuple.Create("y", A) });
        Assert.Equal(new[] { "x", "y" }, fromTuples.Names);
        Assert.Throws<ArgumentException>(() => Params.Create(new[] { Tuple.Create("x", C), Tuple.Create("x", A) }));
    }

    [Fact]
    public void Gradients_come_back_with_the_same_names_in_the_same_order()
    {
        var p = Params<double>.Empty.Add("z", B).Add("a", C);
        var g = Grad.Gradient(q => Tensor.Sum(q["z"] * q["a"]), p);
        Assert.Equal(p.Names, g.Names);
        Assert.All(g["z"].ToArray(), v => Assert.Equal(3.0, v));
        Assert.Equal(6.0, g["a"].Item);
    }

    [Fact]
    public void ToString_lists_names_and_shapes() =>
        Assert.Equal("Params { weight_ih_l0: [2,3], bias_ih_l0: [3], scale: [] }", Abc().ToString());
}
