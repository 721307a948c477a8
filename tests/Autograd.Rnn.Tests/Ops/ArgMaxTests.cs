using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Ops;

/// <summary>ArgMax and ArgMin against a naive first-extremum reference, on values full of ties, NaN and ±0.</summary>
public class ArgMaxTests
{
    private static readonly double[] Numbers = [0.0, -0.0, 1.0, -1.0, 2.0, 2.0, double.NegativeInfinity, double.PositiveInfinity, 0.5];

    [Fact]
    public void ArgMax_and_ArgMin_pick_the_first_extremum_along_every_axis_in_the_order_of_max() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(1, 4).SelectMany(Gradients.Generators.Dims), Gen.Choose(0, 10_000)).ToArbitrary(), c =>
        {
            var (dims, seed) = c;
            var random = new Random(seed);
            var shape = new Shape(dims);
            // NaN rarely, so most rows have a numeric answer.
            var values = new double[shape.Size];
            for (int i = 0; i < values.Length; i++) values[i] = random.Next(12) == 0 ? double.NaN : Numbers[random.Next(Numbers.Length)];
            var x = Tensor.FromArray(values, dims);
            for (int axis = -dims.Length; axis < dims.Length; axis++)
            {
                var expectedMax = Naive(values, shape, axis, maximum: true);
                var expectedMin = Naive(values, shape, axis, maximum: false);
                if (!x.ArgMax(axis).SequenceEqual(expectedMax) || !Tensor.ArgMin(x, axis).SequenceEqual(expectedMin))
                    return false.Label($"{shape}, axis {axis}: values {string.Join(" ", values)}");
            }
            return true.ToProperty();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void ArgMax_of_logits_gives_one_class_per_row_and_defaults_to_the_last_axis()
    {
        var logits = Tensor.FromArray([0.1f, 0.7f, 0.2f, 0.9f, -1f, 0.9f], 2, 3);
        Assert.Equal([1, 0], Tensor.ArgMax(logits));
        Assert.Equal([1, 0, 1], logits.ArgMax(0));
        Assert.Equal([0, 1], logits.ArgMin());
    }

    [Fact]
    public void Empty_axes_and_bad_axes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Tensor.ArgMax(Tensor.Zeros<double>(2, 0), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.ArgMin(Tensor.Zeros<double>(2, 3), 2));
    }

    // For each position of the other axes, the first k along the axis whose value is "best": NaN first, then the
    // largest (smallest), with +0 above −0.
    private static int[] Naive(double[] values, Shape shape, int axis, bool maximum)
    {
        int a = axis < 0 ? axis + shape.Rank : axis;
        int outer = 1, inner = 1, length = shape[a];
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Rank; i++) inner *= shape[i];
        var result = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                for (int k = 1; k < length; k++)
                {
                    double candidate = values[(o * length + k) * inner + i], current = values[(o * length + best) * inner + i];
                    if (double.IsNaN(current)) break;
                    double key(double v) => v == 0 ? (double.IsNegative(v) ? -1e-300 : 1e-300) : v;
                    if (double.IsNaN(candidate) || (maximum ? key(candidate) > key(current) : key(candidate) < key(current))) best = k;
                }
                result[o * inner + i] = best;
            }
        return result;
    }
}
