using System.Collections.Concurrent;

namespace Memory;

/// <summary>One model to train: a cell and a number of distractor steps T.</summary>
internal sealed class Run(CellKind cell, int distractorSteps, int lengthIndex, int totalSteps)
{
    public CellKind Cell { get; } = cell;

    public int DistractorSteps { get; } = distractorSteps;

    public int LengthIndex { get; } = lengthIndex;

    public int TotalSteps { get; } = totalSteps;

    /// <summary>Relative cost of one training step, for scheduling and the ETA: proportional to the sequence length, times
    /// the cell's cost per step (measured here: an LSTM step costs about 3 tanh-RNN steps, a GRU step about 2.5).</summary>
    public double CostPerStep => (DistractorSteps + 1) * Cell switch { CellKind.Rnn => 1.0, CellKind.Lstm => 3.0, _ => 2.5 };

    // Written by the worker that trains the run, read by the progress display.
    private int step;
    private double loss = double.NaN;

    public int Step => Volatile.Read(ref step);

    public double Loss => Volatile.Read(ref loss);

    public bool Started { get; private set; }

    public bool Finished { get; private set; }

    public RunResult? Result { get; private set; }

    public void Report(int currentStep, double currentLoss)
    {
        Volatile.Write(ref loss, currentLoss);
        Volatile.Write(ref step, currentStep);
    }

    public void Start() => Started = true;

    public void Finish(RunResult result)
    {
        Result = result;
        Finished = true;
    }
}

/// <summary>What a run measured: test accuracy, final (smoothed) training loss, seconds, and — for the largest T —
/// ‖∂L/∂h_t‖ per step at initialisation and after training.</summary>
internal sealed record RunResult(double Accuracy, double FinalLoss, double Seconds, double[]? InitialGradients, double[]? TrainedGradients);

internal static class Experiment
{
    /// <summary>
    /// Trains every run on <paramref name="options"/>.Workers threads, longest first. Each run depends only on its seeds,
    /// so the results are the same whatever the number of workers and the order the runs finish in.
    /// </summary>
    public static void RunAll(IReadOnlyList<Run> runs, Options options, MemoryTask task, Action onProgress)
    {
        var queue = new ConcurrentQueue<Run>(runs.OrderByDescending(r => r.CostPerStep));
        var workers = new Thread[Math.Min(options.Workers, runs.Count)];
        Exception? failure = null;
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(() =>
            {
                try
                {
                    while (Volatile.Read(ref failure) is null && queue.TryDequeue(out var run)) Execute(run, options, task);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }, maxStackSize: 64 * 1024 * 1024) { IsBackground = true, Name = $"worker {w}" }; // deep graphs of long unrolls
            workers[w].Start();
        }
        while (workers.Any(w => w.IsAlive))
        {
            onProgress();
            workers.First(w => w.IsAlive).Join(TimeSpan.FromMilliseconds(250));
        }
        onProgress();
        if (failure is not null) throw new InvalidOperationException("a training run failed", failure);
    }

    private static void Execute(Run run, Options options, MemoryTask task)
    {
        run.Start();
        var model = new Model(run.Cell, task.Symbols, options.EmbeddingSize, options.HiddenSize, task.Classes, options.GateBias);
        var parameters = model.Initialize(Seeds.Parameters(options.Seed, run.Cell, run.DistractorSteps));
        bool probe = run.DistractorSteps == options.Lengths.Max();
        var probeRandom = new SplitMix(Seeds.Probe(options.Seed, run.DistractorSteps));
        var probeBatch = task.Sample(run.DistractorSteps, options.ProbeSize, ref probeRandom);
        var initialGradients = probe ? model.HiddenStateGradients(parameters, probeBatch) : null;

        var plan = new TrainingPlan(options.Steps, options.Batch, options.LearningRate, options.MaxNorm);
        var outcome = Trainer.Train(model, parameters, task, run.DistractorSteps, plan, Seeds.Training(options.Seed, run.DistractorSteps), run.Report);

        var testRandom = new SplitMix(Seeds.Test(options.Seed, run.DistractorSteps));
        var test = task.Sample(run.DistractorSteps, options.TestSize, ref testRandom);
        double accuracy = model.Accuracy(outcome.Parameters, test);
        var trainedGradients = probe ? model.HiddenStateGradients(outcome.Parameters, probeBatch) : null;
        run.Finish(new RunResult(accuracy, outcome.FinalLoss, outcome.Seconds, initialGradients, trainedGradients));
    }
}

/// <summary>
/// The seeds of a run, derived from the one given on the command line. Training batches, test set and probe batch depend
/// only on T, so the three cells see the same data; parameters depend on the cell and T.
/// </summary>
internal static class Seeds
{
    public static ulong Parameters(ulong seed, CellKind cell, int t) => Mix(seed, 1, (ulong)cell, (ulong)t);

    public static ulong Training(ulong seed, int t) => Mix(seed, 2, 0, (ulong)t);

    public static ulong Test(ulong seed, int t) => Mix(seed, 3, 0, (ulong)t);

    public static ulong Probe(ulong seed, int t) => Mix(seed, 4, 0, (ulong)t);

    private static ulong Mix(ulong seed, ulong purpose, ulong cell, ulong t)
    {
        var random = new SplitMix(seed ^ (purpose << 56) ^ (cell << 48) ^ t);
        return random.NextUInt64() >> 1; // below 2^63: the library adds small offsets to seeds
    }
}
