using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn.Tests.Ops;

/// <summary>
/// Forward values of the activations and piecewise ops against hand-computed cases in float and double, their
/// NaN/±∞/±0 behaviour, their error messages, the SIMD kernels against their scalar form, and the gradient
/// conventions the finite-difference properties cannot see (kinks, ties, stop-gradient, second order).
/// </summary>
public class ActivationForwardTests
{
    private const double Inf = double.PositiveInfinity;

    private static Tensor<T> Vector<T>(params double[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.FromArray(values.Select(T.CreateChecked).ToArray());

    private static void AssertValues<T>(double[] expected, Tensor<T> actual, double relative) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double v = double.CreateChecked(a[i]), e = expected[i];
            if (double.IsNaN(e)) Assert.True(double.IsNaN(v), $"element {i}: expected NaN, got {v}");
            else if (double.IsInfinity(e) || e == 0) Assert.Equal(e, v);
            else Assert.True(Math.Abs(v - e) <= relative * Math.Abs(e), $"element {i}: expected {e}, got {v}");
        }
    }

    private static bool IsNegativeZero<T>(T value) where T : IFloatingPointIeee754<T> => T.IsZero(value) && T.IsNegative(value);

    public class Sigmoid
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [0, 2, -2, 40, -40, Inf, -Inf, double.NaN];
            double[] expected = [0.5, 0.88079707797788243, 0.11920292202211755, 1, 4.2483542552915889e-18, 1, 0, double.NaN];
            AssertValues(expected, Tensor.Sigmoid(Vector<double>(x)), 1e-14);
            AssertValues(expected, Tensor.Sigmoid(Vector<float>(x)), 1e-6);
        }

        [Fact]
        public void Of_an_empty_tensor_is_empty() => Assert.Equal(0, Tensor.Sigmoid(Tensor.Zeros<float>(0, 3)).Size);
    }

    public class Relu
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [-1, 2, 0, -Inf, Inf, double.NaN, 1e-30];
            double[] expected = [0, 2, 0, 0, Inf, double.NaN, 1e-30];
            AssertValues(expected, Tensor.Relu(Vector<double>(x)), 0);
            AssertValues(expected, Tensor.Relu(Vector<float>(x)), 1e-6);
        }

        [Fact]
        public void Maps_negative_zero_to_positive_zero()
        {
            Assert.False(IsNegativeZero(Tensor.Relu(Tensor.Scalar(-0.0)).Item));
            Assert.False(IsNegativeZero(Tensor.Relu(Tensor.Scalar(-0.0f)).Item));
        }

        [Fact]
        public void Gradient_is_zero_at_and_below_zero_and_nan_at_nan()
        {
            var g = Grad.Gradient(v => Tensor.Sum(Tensor.Relu(v)), Vector<double>(-1, 0, -0.0, 3, double.NaN));
            AssertValues([0, 0, 0, 1, double.NaN], g, 0);
        }
    }

    public class Softplus
    {
        [Fact]
        public void Matches_hand_computed_values_in_double()
        {
            double[] x = [0, 1, -1, 100, -40, -100, 1000, Inf, -Inf, double.NaN];
            double[] expected =
            [
                Math.Log(2), 1.3132616875182228, 0.31326168751822286, 100, 4.2483542552915889e-18, 3.7200759760208361e-44,
                1000, Inf, 0, double.NaN,
            ];
            AssertValues(expected, Tensor.Softplus(Vector<double>(x)), 1e-14);
        }

        [Fact]
        public void Matches_hand_computed_values_in_float()
        {
            double[] x = [0, 1, -1, 50, -30, 1e6, Inf, -Inf, double.NaN];
            double[] expected = [Math.Log(2), 1.3132616875182228, 0.31326168751822286, 50, 9.3576229688392989e-14, 1e6, Inf, 0, double.NaN];
            AssertValues(expected, Tensor.Softplus(Vector<float>(x)), 1e-6);
        }

        [Fact]
        public void Kernel_matches_the_scalar_form_across_chunk_boundaries()
        {
            foreach (int n in new[] { 0, 1, 7, 255, 256, 257, 600 })
            {
                var x = new double[n];
                for (int i = 0; i < n; i++) x[i] = (i % 41 - 20) * 0.75;
                var d = new double[n];
                SoftplusOperator<double>.Invoke(x, d);
                for (int i = 0; i < n; i++)
                {
                    double expected = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i])));
                    Assert.True(Math.Abs(d[i] - expected) <= 1e-14 * Math.Max(1, expected), $"n {n}, x {x[i]}: {d[i]} vs {expected}");
                }
            }
        }
    }

    public class Sqrt
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [4, 2, 0, -1, Inf, -Inf, double.NaN];
            double[] expected = [2, 1.4142135623730951, 0, double.NaN, Inf, double.NaN, double.NaN];
            AssertValues(expected, Tensor.Sqrt(Vector<double>(x)), 1e-15);
            AssertValues(expected, Tensor<float>.Sqrt(Vector<float>(x)), 1e-7);
        }

        [Fact]
        public void Keeps_the_sign_of_zero() => Assert.True(IsNegativeZero(Tensor.Sqrt(Tensor.Scalar(-0.0)).Item));

        [Fact]
        public void Gradient_at_zero_is_infinite() =>
            Assert.Equal(Inf, Grad.Gradient(v => Tensor.Sqrt(v), Tensor.Scalar(0.0)).Item);
    }

    public class Abs
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [-3, 2.5, 0, -Inf, double.NaN];
            double[] expected = [3, 2.5, 0, Inf, double.NaN];
            AssertValues(expected, Tensor.Abs(Vector<double>(x)), 0);
            AssertValues(expected, Tensor<float>.Abs(Vector<float>(x)), 0);
            Assert.False(IsNegativeZero(Tensor.Abs(Tensor.Scalar(-0.0f)).Item));
        }

        [Fact]
        public void Gradient_is_the_sign_with_zero_at_zero()
        {
            var g = Grad.Gradient(v => Tensor.Sum(Tensor.Abs(v)), Vector<double>(-2, 0, -0.0, 5, -Inf, double.NaN));
            AssertValues([-1, 0, 0, 1, -1, double.NaN], g, 0);
        }
    }

    public class Pow
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [2, 3, 0.25];
            AssertValues([4, 9, 0.0625], Tensor.Pow(Vector<double>(x), 2.0), 1e-15);
            AssertValues([1.4142135623730951, 1.7320508075688772, 0.5], Tensor.Pow(Vector<double>(x), 0.5), 1e-15);
            AssertValues([0.5, 1.0 / 3, 4], Tensor<double>.Pow(Vector<double>(x), -1.0), 1e-15);
            AssertValues([4, 9, 0.0625], Tensor<float>.Pow(Vector<float>(x), 2f), 1e-7);
            AssertValues([1.4142135623730951, 1.7320508075688772, 0.5], Tensor.Pow(Vector<float>(x), 0.5f), 1e-7);
        }

        [Fact]
        public void Follows_ieee_pow_at_special_values()
        {
            AssertValues([1, 1, 1], Tensor.Pow(Vector<double>(double.NaN, 0, -Inf), 0.0), 0);
            AssertValues([Inf], Tensor.Pow(Vector<double>(0), -1.0), 0);
            AssertValues([double.NaN], Tensor.Pow(Vector<double>(-8), 1.0 / 3), 0);
            AssertValues([-8], Tensor.Pow(Vector<float>(-2), 3f), 0);
        }

        [Fact]
        public void Gradient_handles_exponents_zero_and_one_at_zero()
        {
            var x = Vector<double>(0, 2);
            AssertValues([0, 0], Grad.Gradient(v => Tensor.Sum(Tensor.Pow(v, 0.0)), x), 0);
            AssertValues([1, 1], Grad.Gradient(v => Tensor.Sum(Tensor.Pow(v, 1.0)), x), 0);
            AssertValues([0, 12], Grad.Gradient(v => Tensor.Sum(Tensor.Pow(v, 3.0)), x), 1e-15);
        }
    }

    public class Clamp
    {
        [Fact]
        public void Matches_hand_computed_values_in_float_and_double()
        {
            double[] x = [-2, -0.5, 0.5, 2, Inf, -Inf, double.NaN];
            double[] expected = [-1, -0.5, 0.5, 1, 1, -1, double.NaN];
            AssertValues(expected, Tensor.Clamp(Vector<double>(x), -1.0, 1.0), 0);
            AssertValues(expected, Vector<float>(x).Clamp(-1f, 1f), 0);
            AssertValues([0, 0, 0.5, 2, Inf, 0, double.NaN], Tensor.Clamp(Vector<double>(x), 0.0, Inf), 0);
        }

        [Fact]
        public void Gradient_passes_strictly_inside_the_bounds_only()
        {
            var g = Grad.Gradient(v => Tensor.Sum(Tensor.Clamp(v, -1.0, 1.0)), Vector<double>(-2, -1, 0, 1, 2));
            AssertValues([0, 0, 1, 0, 0], g, 0);
        }

        [Fact]
        public void Rejects_bounds_that_are_not_an_interval()
        {
            var x = Tensor.Zeros<double>(2, 3);
            var e = Assert.Throws<ArgumentException>(() => Tensor.Clamp(x, 1.0, -1.0));
            Assert.Contains("Clamp", e.Message);
            Assert.Contains("[1, -1]", e.Message);
            Assert.Contains("[2,3]", e.Message);
            Assert.Throws<ArgumentException>(() => Tensor.Clamp(x, double.NaN, 1.0));
            Assert.Throws<ArgumentException>(() => x.Clamp(0, double.NaN));
        }
    }

    public class StopGradient
    {
        [Fact]
        public void Passes_the_value_and_blocks_the_gradient()
        {
            var x = Vector<double>(1.5, -2, 3);
            Assert.Equal(x.ToArray(), Tensor.StopGradient(x).ToArray());
            var g = Grad.Gradient(v => Tensor.Sum(Tensor.StopGradient(v) * v), x);
            Assert.Equal(x.ToArray(), g.ToArray());
            Assert.Equal([0.0, 0, 0], Grad.Gradient(v => Tensor.Sum(Tensor.StopGradient(v)), x).ToArray());
        }

        [Fact]
        public void Is_a_constant_at_every_nesting_level()
        {
            // d/dx [x · d/dy (StopGradient(x)·y)] = d/dx [x · StopGradient(x)] = StopGradient(x) = x: the inner
            // derivative is a constant at the outer level too (JAX's stop_gradient); letting it through would give 2x.
            var derivative = Grad.Gradient(x =>
            {
                Assert.False(Tensor.StopGradient(x).IsTraced);
                var inner = Grad.Gradient(y => Tensor.StopGradient(x) * y, Tensor.Scalar(1.0));
                return x * inner;
            }, Tensor.Scalar(3.0));
            Assert.Equal(3.0, derivative.Item);
        }
    }

    public class Where
    {
        [Fact]
        public void Picks_from_a_where_the_mask_is_non_zero_in_float_and_double()
        {
            double[] mask = [1, 0, 1, 0, double.NaN, -0.0];
            double[] a = [1, 2, 3, 4, 5, 6];
            double[] b = [-1, -2, -3, -4, -5, -6];
            double[] expected = [1, -2, 3, -4, 5, -6];
            AssertValues(expected, Tensor.Where(Vector<double>(mask), Vector<double>(a), Vector<double>(b)), 0);
            AssertValues(expected, Tensor.Where(Vector<float>(mask), Vector<float>(a), Vector<float>(b)), 0);
        }

        [Fact]
        public void Broadcasts_the_mask_and_both_branches()
        {
            var mask = Tensor.FromArray([1.0, 0.0], 2, 1);
            var a = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);
            var result = Tensor.Where(mask, a, Tensor.Scalar(-1.0));
            Assert.Equal(new Shape(2, 3), result.Shape);
            Assert.Equal([1.0, 2, 3, -1, -1, -1], result.ToArray());
            var row = Tensor.Where(Tensor.FromArray([0.0, 1, 0]), Tensor.Scalar(7.0), Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3));
            Assert.Equal([1.0, 7, 3, 4, 7, 6], row.ToArray());
        }

        [Fact]
        public void Does_not_leak_infinities_from_the_branch_not_taken()
        {
            var mask = Vector<double>(1, 0);
            var result = Tensor.Where(mask, Vector<double>(1, 2), Vector<double>(Inf, 3));
            Assert.Equal([1.0, 3], result.ToArray());
            var gradients = Grad.Gradient(p => Tensor.Sum(Tensor.Where(mask, p["a"], p["b"])),
                Params<double>.Empty.Add("a", Vector<double>(1, Inf)).Add("b", Vector<double>(double.NaN, 3)));
            Assert.Equal([1.0, 0], gradients["a"].ToArray());
            Assert.Equal([0.0, 1], gradients["b"].ToArray());
        }

        [Fact]
        public void Sends_each_branch_its_cotangent_summed_to_its_shape()
        {
            var mask = Tensor.FromArray([1.0, 0, 0, 1, 1, 1], 2, 3);
            var gradients = Grad.Gradient(p => Tensor.Sum(Tensor.Where(mask, p["a"], p["b"])),
                Params<double>.Empty.Add("a", Tensor.Zeros<double>(2, 3)).Add("b", Tensor.Zeros<double>(3)));
            Assert.Equal(mask.ToArray(), gradients["a"].ToArray());
            Assert.Equal([0.0, 1, 1], gradients["b"].ToArray());
        }

        [Fact]
        public void Rejects_shapes_that_do_not_broadcast()
        {
            var e = Assert.Throws<ArgumentException>(() =>
                Tensor.Where(Tensor.Ones<double>(4), Tensor.Ones<double>(2, 3), Tensor.Ones<double>(3)));
            Assert.Contains("Where", e.Message);
            Assert.Contains("mask [4]", e.Message);
            Assert.Contains("[2,3]", e.Message);
        }

        [Fact]
        public void Select_kernel_matches_the_scalar_form_for_every_length()
        {
            for (int n = 0; n <= 3 * System.Numerics.Vector<double>.Count + 2; n++)
            {
                var mask = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0.0 : i % 3 == 1 ? 1.0 : double.NaN).ToArray();
                var a = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
                var b = Enumerable.Range(0, n).Select(i => -(double)i).ToArray();
                var d = new double[n];
                ActivationKernels.Select<double>(mask, a, b, d);
                for (int i = 0; i < n; i++) Assert.Equal(mask[i] != 0 ? a[i] : b[i], d[i]);
            }
        }
    }

    public class Max
    {
        private static readonly double[,] Matrix = { { 1, 5, 3 }, { 7, 2, 7 } };

        [Fact]
        public void Along_an_axis_matches_hand_computed_values_in_float_and_double()
        {
            var x = Tensor.FromArray(Matrix);
            Assert.Equal([5.0, 7], Tensor.Max(x, 1).ToArray());
            Assert.Equal([7.0, 5, 7], x.Max(0).ToArray());
            Assert.Equal([5.0, 7], x.Max(-1).ToArray());
            Assert.Equal(new Shape(2, 1), x.Max(1, keepDimension: true).Shape);
            Assert.Equal(new Shape(3), x.Max(0).Shape);
            var f = Tensor.FromArray(new float[,] { { 1, 5, 3 }, { 7, 2, 7 } });
            Assert.Equal([7f, 5, 7], f.Max(0).ToArray());
            Assert.Equal(7f, f.Max().Item);
            Assert.Equal(Shape.Scalar, x.Max().Shape);
            Assert.Equal(4.0, Tensor.Scalar(4.0).Max().Item);
        }

        [Fact]
        public void Propagates_nan_and_orders_positive_zero_above_negative_zero()
        {
            Assert.True(double.IsNaN(Vector<double>(1, double.NaN, 3).Max().Item));
            Assert.True(float.IsNaN(Tensor.FromArray(new float[,] { { 1, 2 }, { float.NaN, 0 } }).Max(0).ToArray()[0]));
            Assert.False(IsNegativeZero(Vector<double>(-0.0, 0.0).Max().Item));
            Assert.False(IsNegativeZero(Tensor.FromArray([-0.0, 0.0], 2, 1).Max(0).Item));
            Assert.Equal(-Inf, Vector<double>(-Inf, -Inf).Max().Item);
        }

        [Fact]
        public void Gradient_goes_to_the_first_of_tied_maxima()
        {
            var x = Tensor.FromArray(Matrix);
            AssertValues([0, 1, 0, 1, 0, 0], Grad.Gradient(v => Tensor.Sum(v.Max(1)), x), 0);
            AssertValues([0, 1, 1, 1, 0, 0], Grad.Gradient(v => Tensor.Sum(v.Max(0)), Tensor.FromArray(new double[,] { { 1, 5, 7 }, { 7, 2, 7 } })), 0);
            AssertValues([0, 0, 0, 1, 0, 0], Grad.Gradient(v => v.Max(), x), 0);
        }

        [Fact]
        public void Kernels_match_a_naive_reduction_with_ties_and_nan()
        {
            foreach (var (outer, length, inner) in new[] { (1, 1, 1), (2, 3, 1), (3, 4, 5), (1, 9, 17), (2, 1, 3) })
            {
                int size = outer * length * inner;
                var x = new double[size];
                for (int i = 0; i < size; i++) x[i] = i % 11 == 10 ? double.NaN : (i * 5) % 4;
                var max = new double[outer * inner];
                var mask = new double[size];
                MaxKernels.MaxAlong<double>(x, outer, length, inner, max);
                MaxKernels.FirstMaxMask<double>(x, max, outer, length, inner, mask);
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < inner; i++)
                    {
                        int first = -1;
                        for (int k = 0; k < length; k++)
                        {
                            double v = x[(o * length + k) * inner + i];
                            if (first < 0 || double.IsNaN(v) && !double.IsNaN(x[(o * length + first) * inner + i])
                                || v > x[(o * length + first) * inner + i]) first = k;
                        }
                        Assert.Equal(x[(o * length + first) * inner + i], max[o * inner + i]);
                        for (int k = 0; k < length; k++) Assert.Equal(k == first ? 1.0 : 0.0, mask[(o * length + k) * inner + i]);
                    }
            }
        }

        [Fact]
        public void Rejects_an_axis_out_of_range_and_empty_reductions()
        {
            var x = Tensor.Zeros<double>(2, 3);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(2));
            Assert.Contains("Max", e.Message);
            Assert.Contains("[2,3]", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(-3));
            var empty = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 0).Max(1));
            Assert.Contains("Max", empty.Message);
            Assert.Contains("[2,0]", empty.Message);
            Assert.Throws<ArgumentException>(() => Tensor.Zeros<float>(0).Max());
            Assert.Equal(new Shape(0), Tensor.Zeros<double>(0, 2).Max(1).Shape);
        }
    }

    public class Masks
    {
        [Fact]
        public void Mask_kernels_match_their_scalar_rules_for_every_length_with_special_values()
        {
            double[] pool = [-2, -0.0, 0, 0.5, 1, double.NaN, Inf, -Inf, 3];
            for (int n = 0; n <= 3 * System.Numerics.Vector<double>.Count + 2; n++)
            {
                var x = Enumerable.Range(0, n).Select(i => pool[i % pool.Length]).ToArray();
                Check(x, new PositiveRule<double>(), v => v > 0 ? 1 : 0);
                Check(x, new SignRule<double>(), v => v > 0 ? 1 : v < 0 ? -1 : 0);
                Check(x, new InsideRule<double>(-1, 1), v => v > -1 && v < 1 ? 1 : 0);
                Check(x, new InsideRule<double>(0, Inf), v => v > 0 && v < Inf ? 1 : 0);
            }
        }

        private static void Check<TRule>(double[] x, TRule rule, Func<double, double> expected) where TRule : struct, IMaskRule<double>
        {
            var d = new double[x.Length];
            ActivationKernels.Mask(x, d, rule);
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i])) Assert.True(double.IsNaN(d[i]));
                else Assert.Equal(expected(x[i]), d[i]);
            }
        }
    }

    public class SecondOrder
    {
        // Gradients of gradients: the VJPs are written with public ops, so double backward must match finite
        // differences of the first gradient. Kinked ops have zero curvature away from their kinks.
        public static TheoryData<string> Cases() =>
            ["sigmoid", "softplus", "sqrt", "pow 3", "pow 0.5", "relu", "abs", "clamp", "max", "where"];

        [Theory]
        [MemberData(nameof(Cases))]
        public void Double_backward_matches_finite_differences(string name)
        {
            var x = Tensor.FromArray([0.7, -1.3, 1.9, -0.4, 0.45, 1.2], 2, 3);
            var positive = Tensor.FromArray([0.7, 1.3, 1.9, 0.6, 0.45, 1.2], 2, 3);
            var mask = Tensor.FromArray([1.0, 0, 1], 3);
            Func<Tensor<double>, Tensor<double>> f = name switch
            {
                "sigmoid" => v => Tensor.Sigmoid(v) * v,
                "softplus" => v => Tensor.Softplus(v * v),
                "sqrt" => v => Tensor.Sqrt(v) * v,
                "pow 3" => v => Tensor.Pow(v, 3.0),
                "pow 0.5" => v => Tensor.Pow(v, 0.5) * v,
                "relu" => v => Tensor.Relu(v) * v,
                "abs" => v => Tensor.Abs(v) * v,
                "clamp" => v => Tensor.Clamp(v, -1.0, 1.0) * v,
                "max" => v => v.Max(1) * Tensor.Sum(v * v, 1),
                "where" => v => Tensor.Where(mask, v * v, Tensor.Tanh(v)),
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            var input = name is "sqrt" or "pow 0.5" ? positive : x;
            var result = GradCheck.GradGradCheck(f, input);
            Assert.True(result.Passed, result.ToString());
        }
    }
}
