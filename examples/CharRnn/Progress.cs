using System.Diagnostics;

namespace CharRnn;

/// <summary>A live progress line (step, figures, ETA): rewritten in place on a terminal, printed every few seconds otherwise.</summary>
sealed class Progress(int totalSteps)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly bool interactive = !Console.IsOutputRedirected;
    private TimeSpan lastPrinted = TimeSpan.Zero;
    private int width;

    public void Report(int step, string figures)
    {
        var elapsed = clock.Elapsed;
        if (!interactive && elapsed - lastPrinted < TimeSpan.FromSeconds(10) && step != totalSteps) return;
        lastPrinted = elapsed;
        var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / step * (totalSteps - step));
        string line = $"step {step}/{totalSteps}  {figures}  elapsed {elapsed:mm\\:ss}  ETA {eta:mm\\:ss}";
        if (interactive)
        {
            Console.Write("\r" + line.PadRight(width));
            width = line.Length;
        }
        else Console.WriteLine(line);
    }

    public void Line(string text)
    {
        if (interactive && width > 0)
        {
            Console.Write("\r" + new string(' ', width) + "\r");
            width = 0;
        }
        Console.WriteLine(text);
    }
}
