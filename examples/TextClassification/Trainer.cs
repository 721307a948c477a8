using Autograd.Rnn;

namespace TextClassification;

/// <summary>How long and how fast to train.</summary>
internal sealed record TrainingSettings(int Steps, int BatchSize, double LearningRate, double MaxGradientNorm, int ValidateEvery);

/// <summary>The parameters that scored best on validation, and how training went.</summary>
internal sealed record TrainingResult(Params<float> Best, double BestValidationLoss, int BestStep, double FinalLoss, TimeSpan Elapsed);

/// <summary>
/// The training loop both models share: seeded shuffled mini-batches of messages, cross-entropy on the spam/ham
/// logits, one optimizer value (<c>Optimizer.Chain</c>: clipping by global norm, Adam, a cosine schedule with warm-up),
/// and early stopping in memory on the validation cross-entropy. The test split is never seen here.
/// </summary>
internal static class Trainer
{
    private const int EvaluationBatch = 256;

    public static TrainingResult Train(string label, IClassifier model, Params<float> parameters, Message[] train, Message[] validation,
        TrainingSettings settings, ulong seed)
    {
        var optimizer = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(settings.MaxGradientNorm), Optimizer.Adam(),
            Schedule.Cosine(settings.LearningRate, settings.Steps, settings.LearningRate * 0.05).WithLinearWarmup(Math.Max(1, settings.Steps / 20)));
        var state = optimizer.Init(parameters);
        var batches = new ShuffledBatches(train.Length, settings.BatchSize, seed);
        int batchSize = batches.BatchSize;

        var best = parameters;
        double bestValidation = double.PositiveInfinity;
        int bestStep = 0;
        double smoothedLoss = double.NaN;
        var progress = new Progress(label, settings.Steps);
        string extra = "";
        for (int step = 1; step <= settings.Steps; step++)
        {
            var batch = batches.Next().Select(i => train[i]).ToArray();

            ulong dropoutSeed = seed * 1_000_003 + (ulong)step; // a fresh dropout mask per step, seeded
            var result = Grad.ValueAndGrad(p => Loss.CrossEntropy(model.Logits(p, batch, dropoutSeed), Labels(batch)), parameters);
            (parameters, state) = optimizer.Update(parameters, result.Gradients, state);

            double loss = result.Value.Item;
            smoothedLoss = double.IsNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
            if (step % settings.ValidateEvery == 0 || step == settings.Steps)
            {
                double score = ValidationLoss(model, parameters, validation);
                if (score < bestValidation) (best, bestValidation, bestStep) = (parameters, score, step);
                extra = $"  val loss {score:F4} (best {bestValidation:F4} @ {bestStep})";
            }
            progress.Report(step, smoothedLoss, batchSize, extra);
        }
        return new TrainingResult(best, bestValidation, bestStep, smoothedLoss, progress.Elapsed);
    }

    /// <summary>1 for spam, 0 for ham: the class indices of the logits.</summary>
    public static int[] Labels(Message[] messages) => messages.Select(m => m.IsSpam ? 1 : 0).ToArray();

    /// <summary>The model's spam log-odds (logit of spam minus logit of ham) for each message, in chunks, untraced.</summary>
    public static double[] LogOdds(IClassifier model, Params<float> parameters, Message[] messages)
    {
        var odds = new double[messages.Length];
        for (int start = 0; start < messages.Length; start += EvaluationBatch)
        {
            var chunk = messages[start..Math.Min(messages.Length, start + EvaluationBatch)];
            var logits = model.Logits(parameters, chunk).ToArray();
            for (int b = 0; b < chunk.Length; b++) odds[start + b] = logits[2 * b + 1] - logits[2 * b];
        }
        return odds;
    }

    private static double ValidationLoss(IClassifier model, Params<float> parameters, Message[] validation) =>
        CrossEntropy(validation, LogOdds(model, parameters, validation));

    /// <summary>Mean cross-entropy of spam log-odds against the labels: −log σ(±odds) = softplus(∓odds).</summary>
    public static double CrossEntropy(Message[] messages, double[] odds)
    {
        double total = 0;
        for (int i = 0; i < odds.Length; i++) total += Softplus(messages[i].IsSpam ? -odds[i] : odds[i]);
        return total / odds.Length;
    }

    private static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));
}

/// <summary>A spam/ham classifier: logits [batch, 2] (ham, spam) for a batch of messages.</summary>
internal interface IClassifier
{
    /// <summary>The logits; <paramref name="dropoutSeed"/> is given in training (a model may use it for dropout) and null in evaluation.</summary>
    Tensor<float> Logits(Params<float> parameters, Message[] messages, ulong? dropoutSeed = null);
}
