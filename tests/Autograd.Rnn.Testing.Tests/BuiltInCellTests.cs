namespace Autograd.Rnn.Testing.Tests;

/// <summary>The kit passes every cell the library's own properties pass: the built-in cells and a correct MGU.</summary>
public class BuiltInCellTests
{
    public static TheoryData<string> CellNames() => ["RNN tanh", "LSTM", "GRU", "GRU Cho", "MGU"];

    private static (Cell<double> Double, Cell<float> Single) CellsNamed(string name) => name switch
    {
        "RNN tanh" => (Cells.Rnn<double>(), Cells.Rnn<float>()),
        "LSTM" => (Cells.Lstm<double>(), Cells.Lstm<float>()),
        "GRU" => (Cells.Gru<double>(), Cells.Gru<float>()),
        "GRU Cho" => (Cells.Gru<double>(GruVariant.Cho), Cells.Gru<float>(GruVariant.Cho)),
        "MGU" => (TestCells.Mgu<double>(), TestCells.Mgu<float>()),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(CellNames))]
    public void A_correct_cell_passes_every_check(string name)
    {
        var (cell, single) = CellsNamed(name);
        var result = CellChecks.Run(cell, single);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal([CellCheckKind.Gradient, CellCheckKind.Padding, CellCheckKind.Layer, CellCheckKind.SinglePrecision],
            result.Checks.Select(c => c.Check));
        Assert.All(result.Checks, c => Assert.Equal(CellCheckOptions.Default.Cases, c.CasesRun));
    }

    [Fact]
    public void Assert_returns_the_result_of_a_passing_cell()
    {
        var result = CellChecks.Assert(TestCells.Mgu<double>(), options: CellCheckOptions.Default.WithCases(2));
        Assert.True(result.Passed);
        Assert.Null(result[CellCheckKind.SinglePrecision]);
    }

    [Fact]
    public void Scaled_parameters_drive_the_gates_towards_saturation_and_the_cells_still_pass()
    {
        var options = CellCheckOptions.Default.WithCases(3).WithParameterScale(3);
        var result = CellChecks.Run(Cells.Lstm<double>(), Cells.Lstm<float>(), options);
        Assert.True(result.Passed, result.ToString());
    }
}
