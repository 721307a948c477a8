using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Ops;

/// <summary>
/// The fused backward products of σ and tanh are an optimisation only: for every shape and value they must give
/// exactly the bits the composed ops give (g·y·(1 − y) and g·(1 − y·y)), in float and double, SIMD body and tail.
/// </summary>
public class FusedGradientTests
{
    private static Gen<(int Length, ulong Seed)> Cases { get; } =
        from length in Gen.Choose(0, 70)
        from seed in Gen.Choose(0, int.MaxValue)
        select (length, (ulong)seed);

    private static void AssertBitwiseEqual<T>(Tensor<T> expected, Tensor<T> actual) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(e[i].Equals(a[i]) || (T.IsNaN(e[i]) && T.IsNaN(a[i])), $"element {i}: composed {e[i]}, fused {a[i]}");
    }

    private static void SigmoidCase<T>(int length, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tensor.Sigmoid(Tensor.RandomNormal<T>([length], seed: seed) * T.CreateTruncating(4));
        var g = Tensor.RandomNormal<T>([length], seed: seed + 1);
        AssertBitwiseEqual(g * y * (T.One - y), SigmoidGradientOp.Apply(y, g));
    }

    private static void TanhCase<T>(int length, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tensor.Tanh(Tensor.RandomNormal<T>([length], seed: seed) * T.CreateTruncating(3));
        var g = Tensor.RandomNormal<T>([length], seed: seed + 1);
        AssertBitwiseEqual(g * (T.One - y * y), TanhGradientOp.Apply(y, g));
    }

    [Fact]
    public void Sigmoid_backward_product_equals_the_composition_bit_for_bit() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            SigmoidCase<float>(c.Length, c.Seed);
            SigmoidCase<double>(c.Length, c.Seed);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Tanh_backward_product_equals_the_composition_bit_for_bit() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            TanhCase<float>(c.Length, c.Seed);
            TanhCase<double>(c.Length, c.Seed);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Broadcast_forms_equal_the_composition()
    {
        var y = Tensor.FromArray([0.1, 0.5, 0.9, -0.3], 2, 2);
        var gScalar = Tensor.Scalar(0.7);
        AssertBitwiseEqual(gScalar * y * (1.0 - y), SigmoidGradientOp.Apply(y, gScalar));
        AssertBitwiseEqual(gScalar * (1.0 - y * y), TanhGradientOp.Apply(y, gScalar));
        var yScalar = Tensor.Scalar(0.25);
        AssertBitwiseEqual(y * yScalar * (1.0 - yScalar), SigmoidGradientOp.Apply(yScalar, y));
        AssertBitwiseEqual(y * (1.0 - yScalar * yScalar), TanhGradientOp.Apply(yScalar, y));
    }

    [Fact]
    public void Non_finite_values_propagate_as_in_the_composition()
    {
        var y = Tensor.FromArray([double.NaN, 0.5, double.PositiveInfinity, 1.0, 0.0]);
        var g = Tensor.FromArray([1.0, double.NaN, 1.0, double.PositiveInfinity, double.NegativeInfinity]);
        AssertBitwiseEqual(g * y * (1.0 - y), SigmoidGradientOp.Apply(y, g));
        AssertBitwiseEqual(g * (1.0 - y * y), TanhGradientOp.Apply(y, g));
    }
}
