using System.Diagnostics;
using Autograd.Rnn;

namespace Memory;

/// <summary>How one model is trained.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="Batch">Sequences per step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="MaxNorm">The global gradient norm above which gradients are rescaled (Pascanu et al. 2013).</param>
internal sealed record TrainingPlan(int Steps, int Batch, double LearningRate, double MaxNorm);

/// <summary>What one training run measured.</summary>
internal sealed record TrainingOutcome(Params<float> Parameters, double FinalLoss, double Seconds);

internal static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on fresh batches of the task with T = <paramref name="distractorSteps"/> for the plan's
    /// steps: Adam, clipped to the plan's global norm. <paramref name="report"/> is called after every step with (step, loss).
    /// </summary>
    public static TrainingOutcome Train(Model model, Params<float> parameters, MemoryTask task, int distractorSteps, TrainingPlan plan,
        ulong dataSeed, Action<int, double> report)
    {
        var clock = Stopwatch.StartNew();
        var random = new SplitMix(dataSeed);
        var adam = Adam.Init(parameters);
        var options = AdamOptions.Default.WithLearningRate(plan.LearningRate);
        double smoothed = double.NaN;
        for (int step = 1; step <= plan.Steps; step++)
        {
            var batch = task.Sample(distractorSteps, plan.Batch, ref random);
            var result = Grad.ValueAndGrad(p => model.Loss(p, batch), parameters);
            var clipped = Clip.ByGlobalNorm(result.Gradients, plan.MaxNorm);
            var next = Adam.Step(parameters, clipped.Gradients, adam, options);
            (parameters, adam) = (next.Parameters, next.State);
            double loss = result.Value.Item;
            smoothed = double.IsNaN(smoothed) ? loss : 0.9 * smoothed + 0.1 * loss; // an exponential moving average to print
            report(step, smoothed);
        }
        return new TrainingOutcome(parameters, smoothed, clock.Elapsed.TotalSeconds);
    }
}
