using Autograd.Rnn;

namespace TimeSeries;

/// <summary>
/// Sizes of the anomaly classifier: how far back it reads, how sparsely, and the share of anomalous readings in the
/// training examples (they are repeated to reach it).
/// </summary>
internal sealed record ClassifierSizes(int Span, int Stride, int Hidden, double PositiveShare, int Ensemble, TrainingSettings Training)
{
    /// <summary>Steps the GRU runs per reading: the last <see cref="Span"/> readings, every <see cref="Stride"/>-th.</summary>
    public int Steps => Span / Stride;
}

/// <summary>
/// Part (b), the detector that uses the labels: a GRU reads the last <see cref="ClassifierSizes.Span"/> readings of a
/// mote (every <see cref="ClassifierSizes.Stride"/>-th, ending at the reading scored) and says whether the reading is
/// anomalous. The labelled anomalies are sustained episodes (a surge of humidity and temperature and a slow decay back),
/// so the long view matters: the decay is only abnormal next to the level before the episode, which a one-step
/// predictor has forgotten by then but a window of a few hundred readings still holds.
///
/// Held-out evaluation by mote: the indoor motes (1, 2) and the outdoor motes (3, 4) form two folds; each fold's
/// readings are flagged by the models trained on the other fold only, when P(anomaly) &gt; 1/2 under the training
/// fold's real share of anomalies (anomalous readings are repeated in training, so the model's own odds are divided by
/// the number of repeats first: the standard correction for a resampled class prior). No threshold is tuned.
/// So every flag is a test flag: no label, statistic or threshold of a reading's own fold was used to produce it.
/// </summary>
internal sealed class SensorClassifier(ClassifierSizes sizes)
{
    // Per step: the mote's standardised humidity and temperature (as the |z| baseline sees them), and both relative
    // to the oldest reading of the window, so the level of a mote's whole series is not all the model can go by.
    private const int Features = 4;
    private const int EvaluationBatch = 1024;
    private readonly RecurrentLayer<float> layer = RecurrentLayer.Gru<float>(Features, sizes.Hidden);

    /// <summary>The folds' training time and final losses, and the flags for every reading of every mote.</summary>
    public sealed record Result(bool[][] Flags, TrainingResult[] Training);

    public Result FlagAll(SensorAnomalies.MoteScores[] motes, ulong seed)
    {
        var flags = new bool[motes.Length][];
        var folds = new[] { motes.Where(m => m.Readings.Indoor).ToArray(), motes.Where(m => !m.Readings.Indoor).ToArray() };
        var training = new TrainingResult[folds.Length];
        for (int fold = 0; fold < folds.Length; fold++)
        {
            var train = folds[1 - fold];
            // An ensemble of models from different seeds, their log-odds averaged: one episode per fold is little to
            // learn from, and single models differ from seed to seed.
            var members = Enumerable.Range(0, sizes.Ensemble)
                .Select(k => Train(train, $"fold {fold + 1} (train on motes {string.Join(",", train.Select(m => m.Readings.Mote))}), model {k + 1}", seed + 10 * (ulong)fold + 100 * (ulong)k))
                .ToArray();
            training[fold] = members[0].Training;
            foreach (var test in folds[fold])
            {
                var logOdds = new double[test.Readings.Length];
                foreach (var member in members)
                {
                    var memberOdds = LogOdds(member.Training.Best, test);
                    for (int r = 0; r < logOdds.Length; r++) logOdds[r] += (memberOdds[r] - Math.Log(member.Repeats)) / members.Length;
                }
                flags[Array.IndexOf(motes, test)] = logOdds.Select(v => v > 0).ToArray();
            }
        }
        return new Result(flags, training);
    }

    private (TrainingResult Training, int Repeats) Train(SensorAnomalies.MoteScores[] motes, string label, ulong seed)
    {
        // Every reading is an example; anomalous ones are repeated to make up PositiveShare of them (they are under 2%).
        int positives = motes.Sum(m => m.Readings.IsAnomaly.Count(a => a)), negatives = motes.Sum(m => m.Readings.Length) - positives;
        int repeats = positives == 0 ? 1 : Math.Max(1, (int)Math.Round(sizes.PositiveShare / (1 - sizes.PositiveShare) * negatives / positives));
        var examples = new List<(SensorAnomalies.MoteScores Mote, int Reading)>();
        foreach (var mote in motes)
            for (int r = 0; r < mote.Readings.Length; r++)
                for (int k = 0; k < (mote.Readings.IsAnomaly[r] ? repeats : 1); k++) examples.Add((mote, r));
        var parameters = layer.Initialize(seed).Concat(Linear.Init<float>(sizes.Hidden, 2, seed + 17).WithPrefix("readout."));
        return (Trainer.Train(label, parameters, examples.Count,
            (p, batch) =>
            {
                var chosen = batch.Select(i => examples[i]).ToArray();
                var logits = Logits(p, chosen);
                return Loss.CrossEntropy(logits, chosen.Select(e => e.Mote.Readings.IsAnomaly[e.Reading] ? 1 : 0).ToArray());
            },
            validate: null, sizes.Training, seed + 29), repeats);
    }

    // The model's log-odds of each reading being anomalous (at the resampled training prior).
    private double[] LogOdds(Params<float> p, SensorAnomalies.MoteScores mote)
    {
        var odds = new double[mote.Readings.Length];
        for (int start = 0; start < odds.Length; start += EvaluationBatch)
        {
            var chunk = Enumerable.Range(start, Math.Min(EvaluationBatch, odds.Length - start)).Select(r => (mote, r)).ToArray();
            var logits = Logits(p, chunk).ToArray();
            for (int b = 0; b < chunk.Length; b++) odds[start + b] = logits[2 * b + 1] - logits[2 * b];
        }
        return odds;
    }

    // [Steps, B, Features] -> GRU -> last hidden state -> logits [B, 2]. Readings before the first are the first reading.
    private Tensor<float> Logits(Params<float> p, (SensorAnomalies.MoteScores Mote, int Reading)[] examples)
    {
        int steps = sizes.Steps, batch = examples.Length;
        var inputs = new float[steps * batch * Features];
        for (int b = 0; b < batch; b++)
        {
            var (mote, reading) = examples[b];
            var values = mote.Standardised;
            int oldest = Math.Max(0, reading - (steps - 1) * sizes.Stride);
            for (int k = 0; k < steps; k++)
            {
                int r = Math.Max(0, reading - (steps - 1 - k) * sizes.Stride);
                var x = inputs.AsSpan((k * batch + b) * Features, Features);
                x[0] = values[2 * r];
                x[1] = values[2 * r + 1];
                x[2] = values[2 * r] - values[2 * oldest];
                x[3] = values[2 * r + 1] - values[2 * oldest + 1];
            }
        }
        var run = layer.Apply(p, Tensor.FromArray(inputs, steps, batch, Features));
        return Linear.Apply(p.Select("readout."), run.LastLayerHidden);
    }
}
