using System.Globalization;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Every public entry refuses what it cannot honour — sizes whose product overflows, negative or non-finite distribution
/// parameters, undefined enum values, empty inputs to a mean — at the call, with a message that names the operation, the
/// argument and the value given (DESIGN.md decision 1: "OpName: what was given, what was expected").
/// </summary>
public class BoundaryValidationTests
{
    // Array.MaxLength: the most elements a .NET array (and so a tensor) can hold.
    private const string Limit = "more than the 2147483591 a tensor can hold";

    /// <summary>Asserts an <see cref="ArgumentOutOfRangeException"/> (exactly) naming the operation, the argument and the value.</summary>
    internal static ArgumentOutOfRangeException AssertOutOfRange(Action action, string operation, string argument, object actual)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.StartsWith(operation + ":", error.Message);
        Assert.Equal(argument, error.ParamName);
        Assert.Contains(argument, error.Message.Split(" (Parameter")[0]);
        Assert.Equal(Convert.ToString(actual, CultureInfo.CurrentCulture), Convert.ToString(error.ActualValue, CultureInfo.CurrentCulture));
        Assert.Contains($"Actual value was {actual}.", error.Message);
        return error;
    }

    // ----- element counts that overflow -----

    public static TheoryData<string, Func<Tensor<float>>, string> OversizedProducts => new()
    {
        { "MatMul", () => Tensor.MatMul(Tensor.Zeros<float>(65536, 1), Tensor.Zeros<float>(1, 65537)),
            "MatMul: [65536,1] x [1,65537]: the result [65536,65537] has 4295032832 elements" },
        { "MatMulTransposeB", () => Tensor.MatMulTransposeB(Tensor.Zeros<float>(65536, 1), Tensor.Zeros<float>(65537, 1)),
            "MatMulTransposeB: [65536,1] x [65537,1]: the result [65536,65537] has 4295032832 elements" },
        { "MatMulTransposeA", () => Tensor.MatMulTransposeA(Tensor.Zeros<float>(1, 65536), Tensor.Zeros<float>(1, 65537)),
            "MatMulTransposeA: [1,65536] x [1,65537]: the result [65536,65537] has 4295032832 elements" },
        { "batched MatMul", () => Tensor.MatMul(Tensor.Zeros<float>(2, 32768, 1), Tensor.Zeros<float>(1, 65537)),
            "MatMul: [2,32768,1] x [1,65537]: the result [2,32768,65537] has 4295032832 elements" },
        { "Eye", () => Tensor.Eye<float>(65536),
            "Eye: the identity matrix [65536,65536] has 4294967296 elements" },
        { "broadcast Add", () => Tensor.Zeros<float>(65536, 1) + Tensor.Zeros<float>(1, 65537),
            "Add: [65536,1] and [1,65537]: the broadcast result [65536,65537] has 4295032832 elements" },
        { "FromRows", () => Tensor.FromRows(Enumerable.Repeat(new float[65537], 65536).ToArray()),
            "Tensor.FromRows: rows [65536,65537] has 4295032832 elements" },
        { "Init.Orthogonal", () => Init.Orthogonal<float>(65536, 65537, seed: 1),
            "Init.Orthogonal: the matrix [65536,65537] has 4295032832 elements" },
        { "Zeros", () => Tensor.Zeros<float>(65536, 65537),
            "Shape [65536,65537] has 4295032832 elements" },
    };

    [Theory]
    [MemberData(nameof(OversizedProducts))]
    public void A_result_with_more_elements_than_an_array_holds_is_refused_naming_the_operation_and_the_count(
        string what, Func<Tensor<float>> create, string expected)
    {
        _ = what;
        var error = Assert.Throws<ArgumentException>(() => create());
        Assert.StartsWith(expected + ", " + Limit + ".", error.Message);
    }

    [Fact]
    public void A_one_dimensional_shape_longer_than_the_longest_array_is_refused()
    {
        // int.MaxValue fits the size (an int) but not an array: this used to pass the shape and fail allocating.
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<float>(int.MaxValue));
        Assert.StartsWith("Shape [2147483647] has 2147483647 elements, " + Limit, error.Message);
    }

    [Fact]
    public void A_shape_with_a_zero_dimension_is_empty_whatever_order_its_dimensions_come_in()
    {
        // The product used to be checked before the 0 was reached, so [65536,65537,0] was refused and [0,65536,65537] accepted.
        Assert.Equal(0, new Shape(65536, 65537, 0).Size);
        Assert.Equal(0, new Shape(0, 65536, 65537).Size);
        Assert.Equal([65536, 65537, 0], Tensor.Zeros<float>(0).Reshape(65536, 65537, -1).Shape.ToArray());
    }

    [Fact]
    public void A_negative_identity_size_names_Eye_and_n() =>
        AssertOutOfRange(() => Tensor.Eye<float>(-1), "Eye", "n", -1);

    // ----- distribution parameters -----

    public static TheoryData<string, double, double> BadNormals => new()
    {
        { "standardDeviation", 0.0, double.NaN },
        { "standardDeviation", 0.0, -1.0 },
        { "standardDeviation", 0.0, double.PositiveInfinity },
        { "mean", double.NaN, 1.0 },
        { "mean", double.NegativeInfinity, 1.0 },
    };

    [Theory]
    [MemberData(nameof(BadNormals))]
    public void RandomNormal_refuses_a_non_finite_mean_and_a_negative_or_non_finite_standard_deviation(string argument, double mean, double standardDeviation) =>
        AssertOutOfRange(() => Tensor.RandomNormal<float>([2], 1, mean, standardDeviation), "Tensor.RandomNormal", argument,
            argument == "mean" ? mean : standardDeviation);

    [Theory]
    [InlineData("low", double.NaN, 1.0)]
    [InlineData("low", double.NegativeInfinity, 1.0)]
    [InlineData("high", 0.0, double.PositiveInfinity)]
    [InlineData("high", 0.0, double.NaN)]
    public void RandomUniform_refuses_non_finite_bounds(string argument, double low, double high) =>
        AssertOutOfRange(() => Tensor.RandomUniform<float>([2], 1, low, high), "Tensor.RandomUniform", argument, argument == "low" ? low : high);

    [Fact]
    public void RandomUniform_refuses_an_interval_wider_than_a_double()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<float>([2], 1, -1e308, 1e308));
        Assert.StartsWith("Tensor.RandomUniform: the width high − low of [-1E+308, 1E+308) overflows", error.Message);
    }

    [Fact]
    public void RandomUniform_names_both_bounds_when_low_is_above_high()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.RandomUniform<float>([2], 1, 2, 1));
        Assert.StartsWith("Tensor.RandomUniform: low 2 is above high 1; expected low ≤ high.", error.Message);
    }

    // ----- initialisers -----

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Init_Uniform_refuses_a_negative_or_non_finite_bound(double bound) =>
        AssertOutOfRange(() => Init.Uniform<float>([2], bound, 1), "Init.Uniform", "bound", bound);

    [Fact]
    public void Init_PyTorchDefault_refuses_a_negative_fan() =>
        AssertOutOfRange(() => Init.PyTorchDefault<float>([2], -1, 1), "Init.PyTorchDefault", "fan", -1L);

    [Fact]
    public void Init_PyTorchDefault_with_fan_0_gives_zeros_as_PyTorch_does() =>
        Assert.All(Init.PyTorchDefault<float>([3], 0, 1).ToArray(), v => Assert.Equal(0f, v));

    [Theory]
    [InlineData("fanOut", -1, 3, 1.0)]
    [InlineData("fanIn", 2, -1, 1.0)]
    [InlineData("gain", 2, 3, double.NaN)]
    [InlineData("gain", 2, 3, -1.0)]
    public void Init_XavierUniform_refuses_a_negative_fan_or_a_negative_or_non_finite_gain(string argument, int fanOut, int fanIn, double gain) =>
        AssertOutOfRange(() => Init.XavierUniform<float>(fanOut, fanIn, 1, gain), "Init.XavierUniform", argument,
            argument == "gain" ? gain : argument == "fanOut" ? (long)fanOut : (long)fanIn);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Init_Orthogonal_refuses_a_non_finite_gain(double gain) =>
        AssertOutOfRange(() => Init.Orthogonal<float>(2, 3, 1, gain), "Init.Orthogonal", "gain", gain);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void CellInitialization_refuses_a_non_finite_forget_gate_bias(double bias) =>
        AssertOutOfRange(() => CellInitialization.Default.WithForgetGateBias(bias), "CellInitialization", "ForgetGateBias", bias);

    [Fact]
    public void CellInitialization_refuses_an_undefined_weight_initialization() =>
        AssertOutOfRange(() => CellInitialization.Default.WithWeights((WeightInitialization)9, WeightInitialization.Orthogonal),
            "CellInitialization", "InputWeights", (WeightInitialization)9);

    // ----- losses -----

    [Fact]
    public void Mse_refuses_the_mean_of_empty_tensors()
    {
        var error = Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros<float>(0, 3), Tensor.Zeros<float>(0, 3)));
        Assert.StartsWith("Mse: prediction [0,3] has no elements, so the mean is undefined", error.Message);
        Assert.Equal("prediction", error.ParamName);
    }

    [Fact]
    public void Mse_of_empty_tensors_is_still_defined_as_a_sum() =>
        Assert.Equal(0f, Loss.Mse(Tensor.Zeros<float>(0), Tensor.Zeros<float>(0), Reduction.Sum).Item);

    public static TheoryData<string> Losses => new() { "Mse", "CrossEntropy", "Nll" };

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_loss_refuses_an_undefined_reduction(string loss)
    {
        var logits = Tensor.Zeros<float>(2, 3);
        Action call = loss switch
        {
            "Mse" => () => Loss.Mse(logits, logits, (Reduction)7),
            "CrossEntropy" => () => Loss.CrossEntropy(logits, [0, 1], (Reduction)7),
            _ => () => Loss.Nll(logits, [0, 1], (Reduction)7),
        };
        AssertOutOfRange(call, loss, "reduction", (Reduction)7);
    }

    // ----- gradient-check options -----

    public static TheoryData<string, double> BadGradCheckOptions => new()
    {
        { "Step", double.NaN },
        { "Step", 0.0 },
        { "Step", -1e-6 },
        { "AbsoluteTolerance", -1.0 },
        { "AbsoluteTolerance", double.NaN },
        { "RelativeTolerance", double.PositiveInfinity },
        { "MaxEntriesPerParameter", -1 },
        { "Directions", 0 },
    };

    [Theory]
    [MemberData(nameof(BadGradCheckOptions))]
    public void GradCheckOptions_refuse_values_that_would_make_every_check_pass_or_fail(string option, double value)
    {
        Action set = option switch
        {
            "Step" => () => GradCheckOptions.Default.WithStep(value),
            "AbsoluteTolerance" => () => GradCheckOptions.Default.WithTolerances(value, 1e-4),
            "RelativeTolerance" => () => GradCheckOptions.Default.WithTolerances(1e-6, value),
            "MaxEntriesPerParameter" => () => GradCheckOptions.Default.WithMaxEntriesPerParameter((int)value),
            _ => () => _ = GradCheckOptions.Default with { Directions = (int)value },
        };
        bool integer = option is "MaxEntriesPerParameter" or "Directions";
        AssertOutOfRange(set, "GradCheckOptions", option, integer ? (long)value : value);
    }
}
