namespace Autograd.Rnn.Testing;

// CellCheckKind.SinglePrecision: the float32 cell, given the double cell's parameters, inputs and initial state rounded
// to float32 (and the double cell given the same rounded values), computes outputs and final states within
// SingleAbsoluteTolerance + SingleRelativeTolerance·|double|.
internal static class SinglePrecisionCheck
{
    public static CellCheckOutcome Run(Cell<double> cell, Cell<float> single, CellCase c, CellCheckOptions options)
    {
        var singleParameters = Values.Convert<double, float>(c.Parameters(cell, options.ParameterScale));
        var singleInputs = Values.Convert<double, float>(c.Inputs<double>());
        var singleInitial = Values.Convert<double, float>(c.InitialState<double>(cell.StateParts));
        var lengths = c.LengthArray;

        var expected = Recurrence.Scan(cell, Values.Convert<float, double>(singleParameters), Values.Convert<float, double>(singleInitial),
            Values.Convert<float, double>(singleInputs), lengths);
        var actual = Recurrence.Scan(single, singleParameters, singleInitial, singleInputs, lengths);

        var tally = new Tally();
        double absolute = options.SingleAbsoluteTolerance, relative = options.SingleRelativeTolerance;
        tally.Compare("output", expected.Outputs.Shape, Values.Doubles(expected.Outputs), Values.Doubles(actual.Outputs), absolute, relative);
        for (int part = 0; part < expected.FinalState.Count; part++)
            tally.Compare($"final state part {part} ", expected.FinalState[part].Shape, Values.Doubles(expected.FinalState[part]),
                Values.Doubles(actual.FinalState[part]), absolute, relative);
        return tally.Outcome(CellCheckKind.SinglePrecision, c);
    }
}
