using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Tensors;

/// <summary>Shape: a value (equality by dimensions), its size, axis normalisation, formatting and validation.</summary>
public class ShapeTests
{
    private static readonly Gen<int[]> AnyDimensions = Gen.Choose(0, 4).SelectMany(rank => Gen.ArrayOf(Gen.Choose(0, 5), rank));

    [Fact]
    public void A_scalar_has_rank_0_and_size_1()
    {
        Assert.Equal(0, Shape.Scalar.Rank);
        Assert.Equal(1, Shape.Scalar.Size);
        Assert.Equal(Shape.Scalar, new Shape());
        Assert.Equal("[]", Shape.Scalar.ToString());
    }

    [Fact]
    public void Size_is_the_product_of_the_dimensions() =>
        Prop.ForAll(AnyDimensions.ToArbitrary(), dims =>
            new Shape(dims).Size == dims.Aggregate(1, (p, d) => p * d) && new Shape(dims).Rank == dims.Length)
        .Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Shapes_with_equal_dimensions_are_equal_and_hash_alike() =>
        Prop.ForAll(AnyDimensions.ToArbitrary(), dims =>
        {
            var a = new Shape(dims);
            var b = new Shape((int[])dims.Clone());
            return a == b && a.Equals((object)b) && a.GetHashCode() == b.GetHashCode() && !(a != b);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Shapes_with_different_dimensions_differ()
    {
        Assert.NotEqual(new Shape(2, 3), new Shape(3, 2));
        Assert.NotEqual(new Shape(6), new Shape(2, 3));
        Assert.NotEqual(new Shape(1), Shape.Scalar);
        Assert.True(new Shape(2) != null);
        Assert.False(new Shape(2).Equals(null));
        Shape? none = null;
        Assert.True(none == null);
    }

    [Fact]
    public void A_shape_does_not_change_when_its_source_array_does()
    {
        var dims = new[] { 2, 3 };
        var shape = new Shape(dims);
        dims[0] = 7;
        Assert.Equal(new[] { 2, 3 }, shape.ToArray());
        var copy = shape.ToArray();
        copy[1] = 9;
        Assert.Equal(new[] { 2, 3 }, shape.Dimensions.ToArray());
    }

    [Fact]
    public void Negative_axes_count_from_the_end()
    {
        var shape = new Shape(2, 3, 4);
        Assert.Equal(4, shape[-1]);
        Assert.Equal(3, shape[-2]);
        Assert.Equal(2, shape[-3]);
        Assert.Equal(2, shape[0]);
        Assert.Equal(4, shape[2]);
    }

    [Fact]
    public void An_axis_out_of_range_names_the_axis_and_the_shape()
    {
        var shape = new Shape(2, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => shape[2]);
        Assert.Contains("axis 2", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => shape[-3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Shape.Scalar[0]);
    }

    [Fact]
    public void A_negative_dimension_is_rejected_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Contains("[2,-1]", error.Message);
        Assert.Contains("dimension 1", error.Message);
    }

    [Fact]
    public void A_shape_with_more_than_int_MaxValue_elements_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new Shape(65536, 65536));

    [Fact]
    public void Zero_sized_dimensions_give_size_0()
    {
        Assert.Equal(0, new Shape(3, 0, 2).Size);
        Assert.Equal(0, new Shape(0, int.MaxValue, int.MaxValue).Size);
    }

    [Fact]
    public void ToString_lists_the_dimensions_without_spaces() => Assert.Equal("[32,64]", new Shape(32, 64).ToString());

    [Fact]
    public void Internal_helpers_replace_remove_and_insert_dimensions()
    {
        var shape = new Shape(2, 3, 4);
        Assert.Equal(new Shape(2, 1, 4), shape.WithDimension(1, 1));
        Assert.Equal(new Shape(2, 4), shape.Without(1));
        Assert.Equal(new Shape(2, 5, 3, 4), shape.Inserting(1, 5));
        Assert.Equal(new Shape(2, 3, 4, 5), shape.Inserting(3, 5));
        Assert.Equal(12, shape.Product(1, 3));
        Assert.Equal(1, shape.Product(3, 3));
    }

    [Fact]
    public void Broadcast_result_follows_numpy_rules()
    {
        Assert.Equal(new Shape(2, 3), Broadcasting.Result(new Shape(2, 3), new Shape(3), "Test"));
        Assert.Equal(new Shape(3, 4), Broadcasting.Result(new Shape(3, 1), new Shape(1, 4), "Test"));
        Assert.Equal(new Shape(5, 2, 3), Broadcasting.Result(Shape.Scalar, new Shape(5, 2, 3), "Test"));
        Assert.Equal(new Shape(2, 0), Broadcasting.Result(new Shape(2, 1), new Shape(0), "Test"));
        Assert.True(Broadcasting.CanBroadcastTo(new Shape(1, 3), new Shape(4, 2, 3)));
        Assert.False(Broadcasting.CanBroadcastTo(new Shape(2, 3), new Shape(3)));
        Assert.False(Broadcasting.CanBroadcastTo(new Shape(2), new Shape(3)));
    }
}
