namespace Autograd.Rnn.Testing;

// CellCheckKind.Padding: a padded batch with NaN at every padded step. Values: each sequence's row of the batch against
// that sequence run alone, unpadded (a cell that mixes batch rows, or lets padded rows into valid ones, fails here).
// Gradients: bit for bit those with zero padding, and exactly zero at every padded input.
internal static class PaddingCheck
{
    public static CellCheckOutcome Run(Cell<double> cell, CellCase c, CellCheckOptions options)
    {
        var tally = new Tally();
        var parameters = c.Parameters(cell, options.ParameterScale);
        var initial = c.InitialState<double>(cell.StateParts);
        var lengths = c.LengthArray;
        var clean = c.Inputs<double>();
        var poisoned = c.Inputs<double>(double.NaN);
        CompareWithSequencesAlone(cell, c, parameters, initial, clean, poisoned, options.IsolationTolerance, tally);
        CompareGradients(cell, c, parameters, initial, clean, poisoned, tally);
        return tally.Outcome(CellCheckKind.Padding, c);
    }

    private static void CompareWithSequencesAlone(Cell<double> cell, CellCase c, Params<double> parameters, RecurrentState<double> initial,
        Tensor<double> clean, Tensor<double> poisoned, double tolerance, Tally tally)
    {
        var batched = Recurrence.Scan(cell, parameters, initial, poisoned, c.LengthArray);
        var outputs = batched.Outputs.ToArray();
        var finals = batched.FinalState.Select(s => s.ToArray()).ToArray();
        int h = c.Hidden;
        for (int b = 0; b < c.Batch; b++)
        {
            int length = c.Lengths[b];
            var rowInputs = Tensor.Narrow(Tensor.Narrow(clean, 1, b, 1), 0, 0, length);
            var alone = Recurrence.Scan(cell, parameters, initial.Map(s => Tensor.Narrow(s, 0, b, 1)), rowInputs);
            var aloneOutputs = alone.Outputs.ToArray();
            for (int t = 0; t < c.Time; t++)
                for (int j = 0; j < h; j++)
                {
                    double actual = outputs[(t * c.Batch + b) * h + j];
                    tally.Add(t < length
                        ? new CellCheckEntry($"output[{t},{b},{j}] (time, batch, hidden) against sequence {b} run alone", aloneOutputs[t * h + j], actual,
                            tolerance * (1 + Math.Abs(aloneOutputs[t * h + j])))
                        : new CellCheckEntry($"output[{t},{b},{j}] (time, batch, hidden) at a padded step", 0, actual, 0));
                }
            for (int part = 0; part < finals.Length; part++)
            {
                var aloneFinal = alone.FinalState[part].ToArray();
                for (int j = 0; j < h; j++)
                    tally.Add(new CellCheckEntry($"final state part {part} [{b},{j}] against sequence {b} run alone", aloneFinal[j], finals[part][b * h + j],
                        tolerance * (1 + Math.Abs(aloneFinal[j]))));
            }
        }
    }

    private static void CompareGradients(Cell<double> cell, CellCase c, Params<double> parameters, RecurrentState<double> initial,
        Tensor<double> clean, Tensor<double> poisoned, Tally tally)
    {
        const string inputs = GradientCheck.InputsName;
        var lengths = c.LengthArray;
        // A fixed random cotangent for the outputs and for each final-state part: the loss reaches every value the run makes.
        var outputCotangent = Tensor.RandomNormal<double>([c.Time, c.Batch, c.Hidden], c.Seed + 101);
        var stateCotangents = Enumerable.Range(0, cell.StateParts)
            .Select(part => Tensor.RandomNormal<double>([c.Batch, c.Hidden], c.Seed + 102 + (ulong)part)).ToArray();
        Tensor<double> Loss(Params<double> p)
        {
            var state = RecurrentState<double>.Of([.. Enumerable.Range(0, cell.StateParts).Select(part => p[GradientCheck.InitialName(part)])]);
            var run = Recurrence.Scan(cell, GradientCheck.Only(p, parameters), state, p[inputs], lengths);
            var total = Tensor.Sum(run.Outputs * outputCotangent);
            for (int part = 0; part < stateCotangents.Length; part++) total += Tensor.Sum(run.FinalState[part] * stateCotangents[part]);
            return total;
        }
        var all = parameters;
        for (int part = 0; part < cell.StateParts; part++) all = all.Add(GradientCheck.InitialName(part), initial[part]);
        var zero = Grad.ValueAndGrad(Loss, all.Add(inputs, clean)).Gradients;
        var nan = Grad.ValueAndGrad(Loss, all.Add(inputs, poisoned)).Gradients;
        foreach (var (name, gradient) in zero)
        {
            var expected = gradient.ToArray();
            var actual = nan[name].ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                string where = Values.Index(i, gradient.Shape);
                if (name == inputs && Padded(i, c))
                {
                    tally.Add(new CellCheckEntry($"gradient of the inputs{where} (time, batch, feature), a padded step, with zero padding", 0, expected[i], 0));
                    tally.Add(new CellCheckEntry($"gradient of the inputs{where} (time, batch, feature), a padded step, with NaN padding", 0, actual[i], 0));
                }
                else
                {
                    string what = name == inputs ? "the inputs" : name;
                    tally.Add(new CellCheckEntry($"gradient of {what}{where} with NaN padding against zero padding", expected[i], actual[i], 0));
                }
            }
        }
    }

    private static bool Padded(int flat, CellCase c)
    {
        int t = flat / (c.Batch * c.Input), b = flat / c.Input % c.Batch;
        return t >= c.Lengths[b];
    }
}
