using System.Diagnostics;
using System.Globalization;

namespace Memory;

/// <summary>
/// A live progress line over all runs: the runs in flight (cell, T, step, smoothed loss), samples per second and an ETA
/// from the work done so far. Rewritten in place with '\r' on an interactive console; a line every few seconds (and one
/// per finished run) when the output is redirected, as in CI logs.
/// </summary>
internal sealed class Progress(IReadOnlyList<Run> runs, int batch)
{
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(10);

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly bool interactive = !Console.IsOutputRedirected;
    private readonly HashSet<Run> announced = [];
    private TimeSpan lastLine = TimeSpan.Zero;
    private int lastWidth;

    public TimeSpan Elapsed => clock.Elapsed;

    public void Update()
    {
        foreach (var run in runs)
            if (run.Finished && announced.Add(run)) Announce(run);

        double totalWork = runs.Sum(r => r.CostPerStep * r.TotalSteps);
        double doneWork = runs.Sum(r => r.CostPerStep * r.Step);
        long samples = runs.Sum(r => (long)r.Step) * batch;
        double seconds = clock.Elapsed.TotalSeconds;
        string eta = doneWork > 0 && seconds > 1 ? Format(TimeSpan.FromSeconds(seconds * (totalWork - doneWork) / doneWork)) : "?";
        var active = runs.Where(r => r.Started && !r.Finished)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{Name(r.Cell)} T={r.DistractorSteps} step {r.Step}/{r.TotalSteps} loss {(r.Step > 0 ? r.Loss.ToString("F3", CultureInfo.InvariantCulture) : "-")}"));
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{announced.Count}/{runs.Count} runs] {string.Join(" | ", active)} | {samples / Math.Max(seconds, 1e-9):F0} samples/s | ETA {eta}");

        if (interactive)
        {
            int width = Math.Max(Console.WindowWidth - 1, 40);
            if (line.Length > width) line = line[..width];
            Console.Write("\r" + line.PadRight(Math.Max(lastWidth, line.Length)));
            lastWidth = line.Length;
        }
        else if (clock.Elapsed - lastLine >= RedirectedInterval && announced.Count < runs.Count)
        {
            Console.WriteLine(line);
            lastLine = clock.Elapsed;
        }
    }

    /// <summary>Ends the live line so that what follows starts on a fresh line.</summary>
    public void Complete()
    {
        if (interactive && lastWidth > 0) Console.Write("\r" + new string(' ', lastWidth) + "\r");
    }

    private void Announce(Run run)
    {
        var result = run.Result!;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"  done: {Name(run.Cell),-4} T={run.DistractorSteps,-3} test accuracy {result.Accuracy:P1}, final loss {result.FinalLoss:F3}, {result.Seconds:F1} s");
        if (interactive) Console.Write("\r" + text.PadRight(lastWidth) + "\n");
        else Console.WriteLine(text);
        lastWidth = 0;
    }

    public static string Name(CellKind cell) => cell switch { CellKind.Rnn => "RNN", CellKind.Lstm => "LSTM", _ => "GRU" };

    public static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{span.Seconds}s";
}
