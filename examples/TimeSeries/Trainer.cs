using Autograd.Rnn;

namespace TimeSeries;

/// <summary>How long and how fast to train.</summary>
internal sealed record TrainingSettings(int Steps, int BatchSize, double LearningRate, double MaxGradientNorm, int ValidateEvery);

/// <summary>The parameters that scored best on validation, and how training went.</summary>
internal sealed record TrainingResult(Params<float> Best, double BestValidation, int BestStep, double FinalLoss, TimeSpan Elapsed);

/// <summary>
/// The training loop shared by every model here: shuffled mini-batches (seeded), Adam with a cosine learning-rate
/// schedule, gradient clipping by global norm, and in-memory early stopping on a validation score (lower is better).
/// </summary>
internal static class Trainer
{
    public static TrainingResult Train(string label, Params<float> parameters, int exampleCount,
        Func<Params<float>, int[], Tensor<float>> batchLoss, Func<Params<float>, double>? validate,
        TrainingSettings settings, ulong seed)
    {
        var schedule = Schedule.Cosine(settings.LearningRate, settings.Steps, settings.LearningRate * 0.05).WithLinearWarmup(Math.Max(1, settings.Steps / 20));
        var adam = Adam.Init(parameters);
        var batches = new ShuffledBatches(exampleCount, settings.BatchSize, seed);
        int batchSize = batches.BatchSize;

        var best = parameters;
        double bestValidation = double.PositiveInfinity;
        int bestStep = 0;
        double smoothedLoss = double.NaN;
        var progress = new Progress(label, settings.Steps);
        string extra = "";
        for (int step = 1; step <= settings.Steps; step++)
        {
            var batch = batches.Next();

            var result = Grad.ValueAndGrad(p => batchLoss(p, batch), parameters);
            var clipped = Clip.ByGlobalNorm(result.Gradients, settings.MaxGradientNorm);
            var options = AdamOptions.Default.WithLearningRate(schedule.At(step - 1));
            var next = Adam.Step(parameters, clipped.Gradients, adam, options);
            (parameters, adam) = (next.Parameters, next.State);

            double loss = result.Value.Item;
            smoothedLoss = double.IsNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
            if (validate is not null && (step % settings.ValidateEvery == 0 || step == settings.Steps))
            {
                double score = validate(parameters);
                if (score < bestValidation) (best, bestValidation, bestStep) = (parameters, score, step);
                extra = $"  val {score:F4} (best {bestValidation:F4} @ {bestStep})";
            }
            progress.Report(step, smoothedLoss, batchSize, extra);
        }
        if (validate is null) (best, bestStep) = (parameters, settings.Steps);
        return new TrainingResult(best, bestValidation, bestStep, smoothedLoss, progress.Elapsed);
    }
}
