using Autograd.Rnn;

namespace TimeSeries;

/// <summary>Sizes of the anomaly-detection experiment.</summary>
internal sealed record SensorSizes(int Window, int Hidden, TrainingSettings Training);

/// <summary>
/// Part (b): per mote, a GRU reads the previous <see cref="SensorSizes.Window"/> readings (humidity, temperature, each
/// standardised by the mote's own mean and standard deviation) and predicts the next one; a reading is flagged when
/// its squared prediction error exceeds a threshold chosen on the training errors.
///
/// The models train on all of each mote's readings, unlabelled: in deployment the labels are unknown, and anomalies
/// are under 1% of the readings, too few to shape a small model. The labels are used only to score the flags.
/// </summary>
internal sealed class SensorAnomalies(SensorSizes sizes)
{
    private const int Channels = 2;
    private const int EvaluationBatch = 1024;
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(Channels, sizes.Hidden);

    /// <summary>The threshold rules compared: mean + 3·std of the training errors, and their 99.5th percentile.</summary>
    public static readonly (string Name, Func<double[], double> Threshold)[] Rules =
    [
        ("mean + 3 std", errors => Mean(errors) + 3 * StandardDeviation(errors)),
        ("99.5th percentile", errors => Quantile(errors, 0.995)),
    ];

    /// <summary>One mote's standardised readings [time, 2] as a flat array, and its squared prediction errors per reading.</summary>
    public sealed record MoteScores(SensorReadings Readings, float[] Standardised, double[] ModelErrors, double[] PersistenceErrors, TrainingResult Training);

    public MoteScores Score(SensorReadings mote, ulong seed)
    {
        var values = Standardise(mote);
        int n = mote.Length;
        var targets = Enumerable.Range(sizes.Window, n - sizes.Window).ToArray();
        var parameters = layer.Initialize(seed).Concat(Linear.Init<float>(sizes.Hidden, Channels, seed + 17).WithPrefix("readout."));
        var training = Trainer.Train($"mote {mote.Mote}", parameters, targets.Length,
            (p, batch) =>
            {
                var days = batch.Select(i => targets[i]).ToArray();
                return Loss.Mse(Predict(p, values, days), Targets(values, days));
            },
            validate: null, sizes.Training, seed + 29);

        // The first Window readings have no full window before them: they get error 0 and are never flagged.
        var modelErrors = new double[n];
        var persistenceErrors = new double[n];
        for (int start = 0; start < targets.Length; start += EvaluationBatch)
        {
            var chunk = targets.AsSpan(start, Math.Min(EvaluationBatch, targets.Length - start)).ToArray();
            var predictions = Predict(training.Best, values, chunk).ToArray();
            for (int b = 0; b < chunk.Length; b++)
            {
                int r = chunk[b];
                for (int c = 0; c < Channels; c++)
                {
                    double error = predictions[b * Channels + c] - values[r * Channels + c];
                    double change = values[(r - 1) * Channels + c] - values[r * Channels + c];
                    modelErrors[r] += error * error;
                    persistenceErrors[r] += change * change;
                }
            }
        }
        return new MoteScores(mote, values, modelErrors, persistenceErrors, training);
    }

    /// <summary>Flags readings whose error exceeds the rule's threshold, computed on the scored readings' errors.</summary>
    public bool[] Flag(double[] errors, Func<double[], double> rule)
    {
        double threshold = rule(errors[sizes.Window..]);
        return errors.Select((e, r) => r >= sizes.Window && e > threshold).ToArray();
    }

    /// <summary>The trivial baseline: flag a reading whose humidity or temperature is more than 3 standard deviations from the mote's mean.</summary>
    public static bool[] ZScoreFlags(float[] standardised)
    {
        var flags = new bool[standardised.Length / Channels];
        for (int r = 0; r < flags.Length; r++)
            flags[r] = Math.Abs(standardised[r * Channels]) > 3 || Math.Abs(standardised[r * Channels + 1]) > 3;
        return flags;
    }

    // The next reading = the last one plus a learned change: [B, 2]. Predicting the change keeps "no change" easy to
    // represent, which is most of what a slowly varying sensor does.
    private Tensor<float> Predict(Params<float> p, float[] values, int[] readings)
    {
        int window = sizes.Window, batch = readings.Length;
        var inputs = new float[window * batch * Channels];
        var last = new float[batch * Channels];
        for (int k = 0; k < window; k++)
            for (int b = 0; b < batch; b++)
                values.AsSpan((readings[b] - window + k) * Channels, Channels).CopyTo(inputs.AsSpan((k * batch + b) * Channels));
        for (int b = 0; b < batch; b++) values.AsSpan((readings[b] - 1) * Channels, Channels).CopyTo(last.AsSpan(b * Channels));
        var run = layer.Apply(p, Tensor.FromArray(inputs, window, batch, Channels));
        return Tensor.FromArray(last, batch, Channels) + Linear.Apply(p.Select("readout."), run.LastLayerHidden);
    }

    private static Tensor<float> Targets(float[] values, int[] readings)
    {
        var targets = new float[readings.Length * Channels];
        for (int b = 0; b < readings.Length; b++) values.AsSpan(readings[b] * Channels, Channels).CopyTo(targets.AsSpan(b * Channels));
        return Tensor.FromArray(targets, readings.Length, Channels);
    }

    private static float[] Standardise(SensorReadings mote)
    {
        var result = new float[mote.Length * Channels];
        foreach (var (channel, series) in new[] { (0, mote.Humidity), (1, mote.Temperature) })
        {
            double mean = Mean(series), deviation = StandardDeviation(series);
            for (int r = 0; r < mote.Length; r++) result[r * Channels + channel] = (float)((series[r] - mean) / deviation);
        }
        return result;
    }

    private static double Mean(double[] values) => values.Average();

    private static double StandardDeviation(double[] values)
    {
        double mean = Mean(values);
        return Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
    }
}
