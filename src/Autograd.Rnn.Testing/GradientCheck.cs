namespace Autograd.Rnn.Testing;

// CellCheckKind.Gradient and CellCheckKind.Layer: analytic gradients against central finite differences, in double.
internal static class GradientCheck
{
    // Everything is checked alike: the cell's parameters, the inputs, and each initial-state part.
    public static CellCheckOutcome Scan(Cell<double> cell, CellCase c, CellCheckOptions options)
    {
        var initial = c.InitialState<double>(cell.StateParts);
        var cellParameters = c.Parameters(cell, options.ParameterScale);
        var parameters = cellParameters.Add(InputsName, c.Inputs<double>());
        for (int part = 0; part < cell.StateParts; part++) parameters = parameters.Add(InitialName(part), initial[part]);
        var result = GradCheck.Run(p =>
        {
            var state = RecurrentState<double>.Of([.. Enumerable.Range(0, cell.StateParts).Select(part => p[InitialName(part)])]);
            var run = Recurrence.Scan(cell, Only(p, cellParameters), state, p[InputsName]);
            return Tensor.Concat([run.Outputs.Reshape(-1), .. run.FinalState.Select(s => s.Reshape(-1))], 0);
        }, parameters, options.GradCheck);
        return Outcome(CellCheckKind.Gradient, c, result);
    }

    // A two-layer bidirectional layer over the case's padded batch: output and every final hidden state.
    public static CellCheckOutcome Layer(Cell<double> cell, CellCase c, CellCheckOptions options)
    {
        var layer = new RecurrentLayer<double>(cell, c.Input, c.Hidden, new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true });
        var parameters = CellCase.Scaled(layer.Initialize(c.Seed), options.ParameterScale).Add(InputsName, c.Inputs<double>());
        var lengths = c.LengthArray;
        var result = GradCheck.Run(p =>
        {
            var run = layer.Apply(p, p[InputsName], lengths);
            return Tensor.Concat([run.Output.Reshape(-1), run.FinalHidden.Reshape(-1)], 0);
        }, parameters, options.GradCheck);
        return Outcome(CellCheckKind.Layer, c, result);
    }

    // Names no cell parameter is likely to take; they are removed before the cell sees its parameters.
    internal const string InputsName = "(inputs)";

    internal static string InitialName(int part) => $"(initial state {part})";

    // The entries of p named like those of `names`, in their order: the cell sees only its own parameters.
    internal static Params<T> Only<T>(Params<T> p, Params<T> names) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var result = Params<T>.Empty;
        foreach (var (name, _) in names) result = result.Add(name, p[name]);
        return result;
    }

    private static CellCheckOutcome Outcome(CellCheckKind check, CellCase c, GradCheckResult result)
    {
        var worst = result.Worst is not { } w ? null : new CellCheckEntry("gradient of " + w.Location, w.Numeric, w.Analytic,
            result.Options.AbsoluteTolerance + result.Options.RelativeTolerance * Math.Abs(w.Numeric));
        return new CellCheckOutcome(check, result.Passed, 1, c, worst);
    }
}
