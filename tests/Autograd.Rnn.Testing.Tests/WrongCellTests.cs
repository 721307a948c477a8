namespace Autograd.Rnn.Testing.Tests;

/// <summary>
/// The kit catches cells with the mistakes its checks exist for, and says which check failed, on which generated case
/// and where.
/// </summary>
public class WrongCellTests
{
    [Fact]
    public void A_StopGradient_on_the_gate_fails_the_gradient_and_layer_checks_and_nothing_else()
    {
        var result = CellChecks.Run(TestCells.MguWithStopGradient<double>(), TestCells.MguWithStopGradient<float>());
        Assert.False(result.Passed);
        Assert.Equal([CellCheckKind.Gradient, CellCheckKind.Layer], result.Failures.Select(f => f.Check));
        var gradient = result[CellCheckKind.Gradient]!;
        Assert.NotNull(gradient.Case);
        Assert.StartsWith("gradient of ", gradient.Worst!.Location);
        Assert.False(gradient.Worst.Passed);
        Assert.Contains("Gradient: FAILED", result.ToString());
        Assert.Contains("seed " + gradient.Case!.Seed, result.ToString());
    }

    [Fact]
    public void A_cell_that_mixes_batch_rows_fails_the_padding_check()
    {
        var result = CellChecks.Run(TestCells.MguCentredOverBatch<double>(), TestCells.MguCentredOverBatch<float>());
        var padding = result[CellCheckKind.Padding]!;
        Assert.False(padding.Passed, result.ToString());
        Assert.Contains("run alone", padding.Worst!.Location);
        Assert.True(padding.Case!.HasPadding);
        // Its gradient is right: only the padding check can see the leak.
        Assert.True(result[CellCheckKind.Gradient]!.Passed, result.ToString());
    }

    [Fact]
    public void A_large_offset_that_float32_cannot_resolve_fails_only_the_single_precision_check()
    {
        var result = CellChecks.Run(TestCells.MguWithLargeOffset<double>(), TestCells.MguWithLargeOffset<float>());
        Assert.Equal([CellCheckKind.SinglePrecision], result.Failures.Select(f => f.Check));
        var worst = result[CellCheckKind.SinglePrecision]!.Worst!;
        Assert.True(worst.Error > CellCheckOptions.Default.SingleAbsoluteTolerance, worst.ToString());
    }

    [Fact]
    public void A_float32_rounding_constant_fails_the_single_precision_check()
    {
        var options = CellCheckOptions.Default.WithChecks(CellCheckKind.SinglePrecision);
        var result = CellChecks.Run(TestCells.MguWithSingleRoundingConstant<double>(), TestCells.MguWithSingleRoundingConstant<float>(), options);
        var precision = Assert.Single(result.Checks);
        Assert.False(precision.Passed, result.ToString());
        Assert.Equal(1, precision.CasesRun);
        Assert.Throws<CellCheckException>(() => result.ThrowIfFailed());
    }

    [Fact]
    public void A_cell_that_throws_fails_the_check_with_the_exception_message()
    {
        var broken = Cell.FromFunction<double>("broken", (p, h, x) => h + p["missing"], (i, h, s) => Params<double>.Empty);
        var exception = Assert.Throws<CellCheckException>(() =>
            CellChecks.Assert(broken, options: CellCheckOptions.Default.WithChecks(CellCheckKind.Gradient)));
        var gradient = Assert.Single(exception.Result.Checks);
        Assert.NotNull(gradient.Error);
        Assert.Contains("missing", exception.Message);
    }
}
