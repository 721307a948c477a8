using Autograd.Rnn;

namespace TimeSeries;

/// <summary>How the recurrent layer's outputs become forecasts.</summary>
internal enum ForecastShape
{
    /// <summary>Read the window, predict the day after it from the last hidden state.</summary>
    ManyToOne,

    /// <summary>Predict the next day at every step of the window; the loss averages over steps.</summary>
    SequenceToSequence,
}

/// <summary>Sizes of the births experiment.</summary>
internal sealed record BirthsSizes(int Window, int Hidden, TrainingSettings Training);

/// <summary>One forecasting model's test error and how its training went.</summary>
internal sealed record ForecastResult(ForecastShape Shape, double TestRmse, double ValidationRmse, TrainingResult Training);

/// <summary>
/// Part (a): forecast tomorrow's US births from the previous <see cref="BirthsSizes.Window"/> days with a GRU, in the
/// two shapes of <see cref="ForecastShape"/>. Chronological split: train 1969–1984, validate 1985–1986, test 1987–1988.
/// </summary>
internal sealed class BirthsForecast(Births data, BirthsSizes sizes)
{
    // Sequence-to-sequence targets of the first week are left out of the loss: with under a week of history the
    // weekly pattern cannot be read yet, and those steps would only add noise to the gradient.
    private const int WarmUpSteps = 7;
    private const int EvaluationBatch = 512;

    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(Births.Features, sizes.Hidden);

    /// <summary>Target days (indices) whose whole input window lies in the data, in [from, to).</summary>
    public int[] TargetDays(int from, int to) => Enumerable.Range(Math.Max(from, sizes.Window), Math.Max(0, to - Math.Max(from, sizes.Window))).ToArray();

    /// <summary>Test RMSE in births/day of the seasonal-naive forecast y_t = y_{t−7} (same weekday last week).</summary>
    public double SeasonalNaiveRmse(int[] days) => Rmse(days, days.Select(t => data.Counts[t - 7]).ToArray());

    public ForecastResult Train(ForecastShape shape, int[] trainDays, int[] validationDays, int[] testDays, ulong seed)
    {
        var parameters = layer.Initialize(seed).Concat(Linear.Init<float>(sizes.Hidden, 1, seed + 17).WithPrefix("readout."));
        string label = shape == ForecastShape.ManyToOne ? "many-to-one" : "seq-to-seq ";
        var training = Trainer.Train(label, parameters, trainDays.Length,
            (p, batch) => BatchLoss(shape, p, batch.Select(i => trainDays[i]).ToArray()),
            p => ModelRmse(shape, p, validationDays), sizes.Training, seed + 29);
        return new ForecastResult(shape, ModelRmse(shape, training.Best, testDays), training.BestValidation, training);
    }

    private Tensor<float> BatchLoss(ForecastShape shape, Params<float> p, int[] days)
    {
        var outputs = Forward(shape, p, Inputs(days));
        if (shape == ForecastShape.ManyToOne)
            return Loss.Mse(outputs, Tensor.FromArray(days.Select(t => data.Normalised[t]).ToArray(), days.Length, 1));

        // Step k of the window ending the day before t reads day t − W + k and predicts day t − W + k + 1.
        int window = sizes.Window, steps = window - WarmUpSteps;
        var targets = new float[steps * days.Length];
        for (int k = 0; k < steps; k++)
            for (int b = 0; b < days.Length; b++)
                targets[k * days.Length + b] = data.Normalised[days[b] - window + WarmUpSteps + k + 1];
        return Loss.Mse(Tensor.Narrow(outputs, 0, WarmUpSteps, steps), Tensor.FromArray(targets, steps, days.Length, 1));
    }

    // [W, B, features] -> [B, 1] (many-to-one) or [W, B, 1] (a forecast at every step).
    private Tensor<float> Forward(ForecastShape shape, Params<float> p, Tensor<float> inputs)
    {
        var run = layer.Apply(p, inputs);
        var readout = p.Select("readout.");
        return shape == ForecastShape.ManyToOne ? Linear.Apply(readout, run.LastLayerHidden) : Linear.Apply(readout, run.Output);
    }

    // The windows before each target day, time-major: [W, B, features].
    private Tensor<float> Inputs(int[] days)
    {
        int window = sizes.Window, batch = days.Length;
        var values = new float[window * batch * Births.Features];
        for (int k = 0; k < window; k++)
            for (int b = 0; b < batch; b++)
                data.WriteFeatures(days[b] - window + k, values.AsSpan((k * batch + b) * Births.Features, Births.Features));
        return Tensor.FromArray(values, window, batch, Births.Features);
    }

    /// <summary>The model's forecasts for the given days, in births/day (no graph is built: nothing is traced here).</summary>
    public double[] Forecast(ForecastShape shape, Params<float> p, int[] days)
    {
        var forecasts = new double[days.Length];
        for (int start = 0; start < days.Length; start += EvaluationBatch)
        {
            var chunk = days.AsSpan(start, Math.Min(EvaluationBatch, days.Length - start)).ToArray();
            var outputs = Forward(shape, p, Inputs(chunk));
            if (shape == ForecastShape.SequenceToSequence) outputs = Tensor.Narrow(outputs, 0, sizes.Window - 1, 1);
            var values = outputs.ToArray();
            for (int b = 0; b < chunk.Length; b++) forecasts[start + b] = data.ToCount(values[b]);
        }
        return forecasts;
    }

    private double ModelRmse(ForecastShape shape, Params<float> p, int[] days) => Rmse(days, Forecast(shape, p, days));

    private double Rmse(int[] days, double[] forecasts)
    {
        double sum = 0;
        for (int i = 0; i < days.Length; i++)
        {
            double error = forecasts[i] - data.Counts[days[i]];
            sum += error * error;
        }
        return Math.Sqrt(sum / days.Length);
    }
}
