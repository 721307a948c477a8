using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Tensors;

/// <summary>Creating tensors, reading them back, formatting them and comparing them.</summary>
public class TensorConstructionTests
{
    [Fact]
    public void FromArray_keeps_row_major_order_and_copies_its_input()
    {
        var values = new[] { 1.0, 2, 3, 4, 5, 6 };
        var t = Tensor.FromArray(values, 2, 3);
        values[0] = 99;
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(1.0, t[0, 0]);
        Assert.Equal(3.0, t[0, 2]);
        Assert.Equal(4.0, t[1, 0]);
        Assert.Equal(6.0, t[1, 2]);
        var copy = t.ToArray();
        copy[1] = 42;
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, t.ToArray());
    }

    [Fact]
    public void FromArray_without_a_shape_gives_a_vector()
    {
        var t = Tensor.FromArray(new[] { 1f, 2f, 3f });
        Assert.Equal(new Shape(3), t.Shape);
        Assert.Equal(1, t.Rank);
    }

    [Fact]
    public void FromArray_with_the_wrong_number_of_values_names_both_counts_and_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5 }, 2, 3));
        Assert.Contains("5 values", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Contains("6 elements", error.Message);
    }

    [Fact]
    public void FromArray_of_a_rectangular_array_and_ToArray2D_are_inverse()
    {
        var values = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var t = Tensor.FromArray(values);
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, t.ToArray());
        Assert.Equal(values, t.ToArray2D());
    }

    [Fact]
    public void ToArray2D_of_a_tensor_that_is_not_2D_names_its_shape()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros<float>(2, 3, 4).ToArray2D());
        Assert.Contains("[2,3,4]", error.Message);
    }

    [Fact]
    public void FromRows_stacks_rows()
    {
        var t = Tensor.FromRows(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 }, new[] { 5.0, 6 } });
        Assert.Equal(new Shape(3, 2), t.Shape);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, t.ToArray());
        Assert.Equal(new Shape(0, 0), Tensor.FromRows(Array.Empty<double[]>()).Shape);
    }

    [Fact]
    public void FromRows_with_ragged_rows_names_the_row()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromRows(new[] { new[] { 1.0, 2 }, new[] { 3.0 } }));
        Assert.Contains("row 1", error.Message);
    }

    [Fact]
    public void Zeros_ones_full_and_scalar_hold_what_they_say()
    {
        Assert.All(Tensor.Zeros<double>(2, 3).ToArray(), v => Assert.Equal(0.0, v));
        Assert.All(Tensor.Ones<float>(4).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Tensor.Full(2.5, 3, 1, 2).ToArray(), v => Assert.Equal(2.5, v));
        Assert.Equal(new Shape(3, 1, 2), Tensor.Full(2.5, 3, 1, 2).Shape);
        var s = Tensor.Scalar(7.0);
        Assert.Equal(Shape.Scalar, s.Shape);
        Assert.Equal(7.0, s.Item);
        Assert.Equal(7.0, s[Array.Empty<int>()]);
        Assert.Equal(new Shape(0, 3), Tensor.Zeros<double>(0, 3).Shape);
        Assert.Empty(Tensor.Zeros<double>(0, 3).ToArray());
    }

    [Fact]
    public void ZerosLike_and_OnesLike_take_the_shape_and_are_constants()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 3, 2);
        Assert.Equal(x.Shape, Tensor.ZerosLike(x).Shape);
        Assert.Equal(x.Shape, Tensor.OnesLike(x).Shape);
        Assert.All(Tensor.OnesLike(x).ToArray(), v => Assert.Equal(1.0, v));
        Grad.Gradient(v =>
        {
            Assert.True(v.IsTraced);
            Assert.False(Tensor.ZerosLike(v).IsTraced);
            return v.Sum();
        }, x);
    }

    [Fact]
    public void Eye_is_one_on_the_diagonal_and_zero_elsewhere()
    {
        var eye = Tensor.Eye<double>(4);
        Assert.Equal(new Shape(4, 4), eye.Shape);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, eye[i, j]);
        Assert.Equal(new Shape(0, 0), Tensor.Eye<float>(0).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Eye<float>(-1));
    }

    [Fact]
    public void A_negative_dimension_is_rejected_by_every_constructor()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, -3));
        Assert.Throws<ArgumentException>(() => Tensor.Full(1.0, -1));
        Assert.Throws<ArgumentException>(() => Tensor.RandomNormal<double>([-2], 1));
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_random_tensors() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var a = Tensor.RandomNormal<double>([7, 5], (ulong)seed).ToArray();
            var b = Tensor.RandomNormal<double>([7, 5], (ulong)seed).ToArray();
            var c = Tensor.RandomUniform<float>([35], (ulong)seed).ToArray();
            var d = Tensor.RandomUniform<float>([35], (ulong)seed).ToArray();
            return a.SequenceEqual(b) && c.SequenceEqual(d);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));

    [Fact]
    public void Different_seeds_give_different_random_tensors()
    {
        Assert.NotEqual(Tensor.RandomNormal<double>([16], 1).ToArray(), Tensor.RandomNormal<double>([16], 2).ToArray());
        Assert.NotEqual(Tensor.RandomUniform<double>([16], 1).ToArray(), Tensor.RandomUniform<double>([16], 2).ToArray());
    }

    [Fact]
    public void Float_samples_are_the_double_samples_rounded()
    {
        var d = Tensor.RandomNormal<double>([100], 5, mean: 1, standardDeviation: 3).ToArray();
        var f = Tensor.RandomNormal<float>([100], 5, mean: 1, standardDeviation: 3).ToArray();
        Assert.Equal(d.Select(v => (float)v), f);
    }

    [Fact]
    public void RandomNormal_has_roughly_the_requested_mean_and_deviation()
    {
        // 20,000 samples: the standard error of the mean is 3·/√20000 ≈ 0.021, of the deviation ≈ 0.015; tolerances are ~5 of those.
        const int n = 20_000;
        var x = Tensor.RandomNormal<double>([n], 2024, mean: 2.0, standardDeviation: 3.0).ToArray();
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        Assert.InRange(mean, 2.0 - 0.1, 2.0 + 0.1);
        Assert.InRange(sd, 3.0 - 0.08, 3.0 + 0.08);
        double fractionWithinOneSd = x.Count(v => Math.Abs(v - 2.0) < 3.0) / (double)n;
        Assert.InRange(fractionWithinOneSd, 0.6827 - 0.02, 0.6827 + 0.02);
    }

    [Fact]
    public void RandomUniform_stays_in_its_half_open_interval_with_roughly_uniform_moments()
    {
        const int n = 20_000;
        var x = Tensor.RandomUniform<double>([n], 77, low: -2.0, high: 6.0).ToArray();
        Assert.All(x, v => Assert.True(v >= -2.0 && v < 6.0, $"{v} outside [-2, 6)"));
        // Mean 2, variance 8²/12 ≈ 5.33; standard error of the mean ≈ 0.016.
        Assert.InRange(x.Average(), 2.0 - 0.08, 2.0 + 0.08);
        double variance = x.Sum(v => (v - 2.0) * (v - 2.0)) / n;
        Assert.InRange(variance, 64.0 / 12 - 0.15, 64.0 / 12 + 0.15);
    }

    [Fact]
    public void RandomUniform_never_returns_its_upper_bound_even_after_rounding_to_float()
    {
        // Floats near 1e8 are 8 apart, so low + (high − low)·u rounds up to high for about half the draws unless guarded.
        var x = Tensor.RandomUniform<float>([1000], 3, low: 1e8, high: 1e8 + 8).ToArray();
        Assert.All(x, v => Assert.True(v >= 1e8f && v < 1e8f + 8, $"{v} outside [1e8, 1e8 + 8)"));
        var ones = Tensor.RandomUniform<float>([1000], 3, low: 0.0, high: 1.0).ToArray();
        Assert.All(ones, v => Assert.True(v is >= 0f and < 1f, $"{v} outside [0, 1)"));
    }

    [Fact]
    public void RandomUniform_with_low_above_high_names_both()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<double>([3], 1, low: 2, high: 1));
        Assert.Contains("2", error.Message);
        Assert.Contains("1", error.Message);
        Assert.All(Tensor.RandomUniform<double>([4], 1, low: 3, high: 3).ToArray(), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void Element_access_reads_row_major_positions() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(1, 4), 3).ToArbitrary(), dims =>
        {
            int size = dims[0] * dims[1] * dims[2];
            var t = Tensor.FromArray(Enumerable.Range(0, size).Select(i => (double)i).ToArray(), dims);
            for (int i = 0; i < dims[0]; i++)
                for (int j = 0; j < dims[1]; j++)
                    for (int k = 0; k < dims[2]; k++)
                        if (t[i, j, k] != (i * dims[1] + j) * dims[2] + k) return false;
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));

    [Fact]
    public void Element_access_with_the_wrong_number_of_indices_names_the_shape()
    {
        var t = Tensor.Zeros<double>(2, 3);
        var error = Assert.Throws<ArgumentException>(() => t[1]);
        Assert.Contains("1 indices", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Throws<ArgumentException>(() => t[0, 0, 0]);
    }

    [Fact]
    public void Element_access_out_of_range_names_the_index_dimension_and_shape()
    {
        var t = Tensor.Zeros<double>(2, 3);
        var error = Assert.Throws<IndexOutOfRangeException>(() => t[1, 3]);
        Assert.Contains("index 3", error.Message);
        Assert.Contains("dimension 1", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Throws<IndexOutOfRangeException>(() => t[-1, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => t[2, 0]);
    }

    [Fact]
    public void Item_needs_exactly_one_element()
    {
        Assert.Equal(5.0, Tensor.Full(5.0, 1, 1).Item);
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros<double>(2, 2).Item);
        Assert.Contains("[2,2]", error.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros<double>(0).Item);
    }

    [Fact]
    public void ToString_is_compact_for_small_tensors()
    {
        Assert.Equal("Tensor[2,2] [[1, 2], [3, 4]]", Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 2, 2).ToString());
        Assert.Equal("Tensor[] 3.5", Tensor.Scalar(3.5f).ToString());
        Assert.Equal("Tensor[3] [0.1, -2, 1E+10]", Tensor.FromArray(new[] { 0.1, -2, 1e10 }).ToString());
        Assert.Equal("Tensor[0] []", Tensor.Zeros<double>(0).ToString());
        Assert.Equal("Tensor[2,0] [[], []]", Tensor.Zeros<double>(2, 0).ToString());
        Assert.Equal("Tensor[3] [NaN, Infinity, -Infinity]", Tensor.FromArray(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }).ToString());
    }

    [Fact]
    public void ToString_prints_100_elements_in_full_and_elides_the_middle_of_larger_tensors()
    {
        var hundred = Tensor.FromArray(Enumerable.Range(0, 100).Select(i => (double)i).ToArray()).ToString();
        Assert.DoesNotContain("...", hundred);
        Assert.Contains("50, 51", hundred);

        var large = Tensor.FromArray(Enumerable.Range(0, 200).Select(i => (double)i).ToArray()).ToString();
        Assert.Equal("Tensor[200] [0, 1, 2, ..., 197, 198, 199]", large);

        var matrix = Tensor.FromArray(Enumerable.Range(0, 400).Select(i => (double)i).ToArray(), 20, 20).ToString();
        Assert.StartsWith("Tensor[20,20] [[0, 1, 2, ..., 17, 18, 19], [20, 21, 22, ..., 37, 38, 39], [40, 41, 42, ..., 57, 58, 59], ..., [340,", matrix);
        Assert.EndsWith("[380, 381, 382, ..., 397, 398, 399]]", matrix);
        Assert.True(matrix.Length < 400, $"an elided 20x20 tensor should print briefly, got {matrix.Length} characters");
    }

    [Fact]
    public void AllClose_uses_absolute_plus_relative_tolerance_of_the_second_operand()
    {
        var a = Tensor.FromArray(new[] { 100.0, 1.0 });
        Assert.True(a.AllClose(Tensor.FromArray(new[] { 100.0009, 1.0 })));                  // 9e-4 ≤ 1e-8 + 1e-5·100.0009
        Assert.False(a.AllClose(Tensor.FromArray(new[] { 100.0011, 1.0 })));                 // 1.1e-3 > 1.0000011e-3
        Assert.True(a.AllClose(Tensor.FromArray(new[] { 100.5, 1.0 }), relativeTolerance: 0, absoluteTolerance: 0.5));
        Assert.False(a.AllClose(Tensor.FromArray(new[] { 100.5, 1.0 }), relativeTolerance: 0, absoluteTolerance: 0.49));
        Assert.True(Tensor.Zeros<float>(3).AllClose(Tensor.Full(1e-9f, 3)));
    }

    [Fact]
    public void AllClose_is_false_for_different_shapes_even_with_equal_elements()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 2, 2);
        Assert.False(a.AllClose(Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 4)));
        Assert.True(a.AllClose(a));
    }

    [Fact]
    public void AllClose_treats_NaN_as_never_close_even_to_itself()
    {
        var nan = Tensor.FromArray(new[] { 1.0, double.NaN });
        Assert.False(nan.AllClose(nan));
        Assert.False(nan.AllClose(Tensor.FromArray(new[] { 1.0, 2.0 })));
        Assert.False(Tensor.FromArray(new[] { 1.0, 2.0 }).AllClose(nan));
    }

    [Fact]
    public void AllClose_treats_infinities_as_close_only_to_the_same_infinity()
    {
        double inf = double.PositiveInfinity;
        Assert.True(Tensor.FromArray(new[] { inf, -inf }).AllClose(Tensor.FromArray(new[] { inf, -inf })));
        Assert.False(Tensor.Scalar(inf).AllClose(Tensor.Scalar(-inf)));
        Assert.False(Tensor.Scalar(-inf).AllClose(Tensor.Scalar(inf)));
        Assert.False(Tensor.Scalar(1.0).AllClose(Tensor.Scalar(inf)));
        Assert.False(Tensor.Scalar(inf).AllClose(Tensor.Scalar(1.0)));
        Assert.False(Tensor.Scalar(1e300).AllClose(Tensor.Scalar(inf), relativeTolerance: 0.5));
        Assert.False(Tensor.Scalar(float.MaxValue).AllClose(Tensor.Scalar(float.PositiveInfinity)));
    }

    [Fact]
    public void Tensors_of_unsupported_element_types_fail_with_a_readable_error()
    {
        // Half satisfies the generic constraints, so only a run-time check can refuse it; the error must say why.
        var error = Assert.Throws<NotSupportedException>(() => Tensor.Zeros<Half>(2));
        Assert.Contains("Tensor<Half>", error.Message);
        Assert.Contains("float and double", error.Message);
        // Every later attempt gives the same readable error (not a cached TypeInitializationException).
        var again = Assert.Throws<NotSupportedException>(() => Tensor.Scalar((Half)1));
        Assert.Contains("Tensor<Half>", again.Message);
        Assert.Throws<NotSupportedException>(() => Tensor.FromArray(new[] { (Half)1, (Half)2 }));
    }
}
