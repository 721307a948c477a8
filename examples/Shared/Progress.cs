using System.Diagnostics;

namespace Examples;

/// <summary>
/// A live progress line: step, loss, samples/s and ETA. On a terminal it rewrites one line with '\r'; when the
/// output is redirected (CI, a log file) it prints a line every tenth of the run (at least 5 steps apart) instead.
/// </summary>
internal sealed class Progress
{
    private readonly string label;
    private readonly int totalSteps;
    private readonly bool redirected = Console.IsOutputRedirected;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long samples;
    private int lastLength;

    public Progress(string label, int totalSteps)
    {
        this.label = label;
        this.totalSteps = totalSteps;
    }

    public TimeSpan Elapsed => clock.Elapsed;

    public void Report(int step, double loss, int batchSamples, string extra = "")
    {
        samples += batchSamples;
        bool last = step == totalSteps;
        if (redirected && !last && step % Math.Max(5, totalSteps / 10) != 0) return;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double eta = seconds / step * (totalSteps - step);
        string line = $"  {label} step {step,5}/{totalSteps}  loss {loss,8:F5}  {samples / seconds,7:F0} samples/s  ETA {eta,4:F0}s{extra}";
        if (redirected)
        {
            Console.WriteLine(line);
            return;
        }
        Console.Write("\r" + line.PadRight(lastLength));
        lastLength = line.Length;
        if (last) Console.WriteLine();
    }
}
