using System.Numerics;
using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Plans of functions that broadcast a column (a [rows, 1] value under [rows, n], such as a row's mean) and sum along
/// axes, layer normalisation first of all: the column operand fuses into its region, sums and broadcasts write into the
/// plan's buffers, and the results are the eager bits, whatever the size (one block, many, split between threads) and
/// wherever a row's run meets a block boundary.
/// </summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class ColumnBroadcastTests
{
    public static TheoryData<string, int, int> Cases()
    {
        string[] functions = ["centered", "column first", "layer norm", "rms", "sum dropped", "sums of both axes", "broadcast back", "3-D"];
        (int, int)[] sizes =
        [
            (1, 5), (3, 7), (7, 40), // within one block
            (64, 64), // four blocks, rows shorter than a block
            (5, 1500), // rows longer than a block: a column's run crosses block boundaries
            (300, 700), (1000, 67), (67, 1000), // past FusedRegion.ParallelThreshold: blocks shared out between threads
        ];
        var data = new TheoryData<string, int, int>();
        foreach (var function in functions) foreach (var (rows, columns) in sizes) data.Add(function, rows, columns);
        return data;
    }

    private static Tensor<T> Function<T>(string name, Tensor<T> x, Tensor<T> row) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "centered" => (x - Tensor.Mean(x, -1, keepDimension: true)) * row,
        "column first" => Tensor.Tanh(Tensor.Sum(x, 1, keepDimension: true) - x) / (Tensor.Abs(Tensor.Sum(x, 1, keepDimension: true)) + T.One),
        "layer norm" => Tensor.Sigmoid(Tensor.LayerNorm(x, row, row * T.CreateTruncating(0.5))),
        "rms" => x / Tensor.Sqrt(Tensor.Mean(x * x, -1, keepDimension: true) + T.CreateTruncating(1e-5)),
        "sum dropped" => Tensor.Tanh(Tensor.Sum(x * row, 1)) * T.CreateTruncating(2),
        "sums of both axes" => (Tensor.Sum(x, 0) + row) * Tensor.Sum(Tensor.Exp(Tensor.Tanh(x)), 1, keepDimension: true),
        "broadcast back" => Tensor.BroadcastTo(Tensor.Sum(x, 1, keepDimension: true), x.Shape) * x + row,
        _ => ThreeD(x, row),
    };

    // [2, rows, columns] with a [2, 1, 1] column (one value for each run of rows·columns) and a [2, rows, 1] one.
    private static Tensor<T> ThreeD<T>(Tensor<T> x, Tensor<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cube = Tensor.Stack([x, Tensor.Tanh(x)], 0);
        var perRow = Tensor.Sum(cube, 2, keepDimension: true);
        return cube * Tensor.Sum(perRow, 1, keepDimension: true) - perRow + row;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_compiled_function_with_column_broadcasts_and_sums_gives_the_eager_bits_in_float(string function, int rows, int columns) =>
        GivesTheEagerBits<float>(function, rows, columns);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_compiled_function_with_column_broadcasts_and_sums_gives_the_eager_bits_in_double(string function, int rows, int columns) =>
        GivesTheEagerBits<double>(function, rows, columns);

    private static void GivesTheEagerBits<T>(string function, int rows, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = Tensor.RandomNormal<T>([columns], seed: 3);
        var compiled = Compile.Function<T>(x => Function(function, x, row));
        for (ulong call = 0; call < 2; call++)
        {
            var x = Tensor.RandomNormal<T>([rows, columns], seed: 5 + call);
            var planned = compiled(x);
            Tensor<T> eager;
            using (Compile.Eagerly()) eager = Function(function, x, row);
            Assert.True(Bits.Same(planned, eager), $"call {call}");
        }
    }

    [Fact]
    public void Layer_norm_becomes_two_sums_into_buffers_and_four_fused_regions_with_no_allocating_kernel()
    {
        var weight = Tensor.RandomNormal<float>([16], seed: 1);
        var bias = Tensor.RandomNormal<float>([16], seed: 2);
        var plan = PlanRecorder.Record(v => [Tensor.LayerNorm(v[0], weight, bias)], [Tensor.RandomNormal<float>([8, 16], seed: 3)]).Plan;
        Assert.NotNull(plan);
        Assert.Equal(0, plan.KernelOpCount);
        // sum, mean (÷n) | centre, square | sum | mean, +ε, √ | divide, scale, shift
        Assert.Equal(2 + 4, plan.InstructionCount);
        Assert.Equal(1 + 2 + 3 + 3, plan.FusedOpCount);
    }

    [Fact]
    public void The_forward_and_backward_plans_of_a_layer_norm_lstm_step_run_no_allocating_kernel()
    {
        var cell = PlannedTrainingProperties.LayerNormLstm<float>();
        var parameters = cell.Initialize(3, 8, 1);
        var arguments = new List<Tensor<float>>(parameters.Tensors())
        {
            Tensor.RandomNormal<float>([4, 8], 5), Tensor.RandomNormal<float>([4, 8], 6), Tensor.RandomNormal<float>([4, 3], 7),
        };
        var plans = StepVjpPlans<float>.For(cell, parameters, [.. arguments]);
        Assert.NotNull(plans);
        Assert.Equal(0, plans.Forward.KernelOpCount);
        Assert.Equal(0, plans.Backward.KernelOpCount);
    }

    [Fact]
    public void At_batch_1_a_bias_of_the_rows_size_fuses_and_gives_the_eager_bits()
    {
        // [H] under [1, H]: as many elements as the result, in the same order; it used to end the region.
        var bias = Tensor.RandomNormal<float>([16], seed: 1);
        Tensor<float>[] Function(Tensor<float>[] v) => [Tensor.Tanh(v[0] + bias) * Tensor.Sigmoid(v[0])];
        var input = Tensor.RandomNormal<float>([1, 16], seed: 2);
        var plan = PlanRecorder.Record(Function, [input]).Plan;
        Assert.NotNull(plan);
        Assert.Equal(1, plan.InstructionCount);
        Assert.Equal(4, plan.FusedOpCount);
        var other = Tensor.RandomNormal<float>([1, 16], seed: 3);
        Assert.True(Bits.Same(Function([other])[0], plan.Run([other])[0]));
    }

    [Fact]
    public void The_backward_plan_of_a_gru_step_at_batch_1_runs_no_allocating_kernel()
    {
        // The step adds a slice of bias_hh: its gradient is padded back to the whole bias in the plan's own buffer.
        var cell = Cells.Gru<float>();
        var parameters = cell.Initialize(3, 8, 1);
        var arguments = new List<Tensor<float>>(parameters.Tensors()) { Tensor.RandomNormal<float>([1, 8], 5), Tensor.RandomNormal<float>([1, 24], 6) };
        var plans = StepVjpPlans<float>.For(cell, parameters, [.. arguments]);
        Assert.NotNull(plans);
        Assert.Equal(0, plans.Forward.KernelOpCount);
        Assert.Equal(0, plans.Backward.KernelOpCount);
    }
}
