using System.Globalization;
using System.Text;

namespace Memory;

/// <summary>The summary tables on the console, and the two plots and their data in the output directory.</summary>
internal static class Report
{
    private static readonly CellKind[] CellOrder = [CellKind.Rnn, CellKind.Lstm, CellKind.Gru];

    private static string Color(CellKind cell) => cell switch { CellKind.Rnn => "#d62728", CellKind.Lstm => "#1f77b4", _ => "#2ca02c" };

    public static void PrintTables(IReadOnlyList<Run> runs, Options options, MemoryTask task)
    {
        var text = new StringBuilder();
        text.AppendLine(F($"Test accuracy on {options.TestSize} fresh sequences after {options.Steps} steps of batch {options.Batch} (chance {1.0 / task.Classes:P0}):"));
        text.AppendLine(F($"  {"T",5}  {"RNN",7}  {"LSTM",7}  {"GRU",7}     final training loss (RNN / LSTM / GRU)"));
        foreach (int t in options.Lengths)
        {
            var row = CellOrder.Select(c => Find(runs, c, t).Result!).ToArray();
            text.AppendLine(F($"  {t,5}  {row[0].Accuracy,7:P1}  {row[1].Accuracy,7:P1}  {row[2].Accuracy,7:P1}     {row[0].FinalLoss:F3} / {row[1].FinalLoss:F3} / {row[2].FinalLoss:F3}"));
        }

        int longest = options.Lengths.Max();
        var columns = new[] { 0, longest / 4, longest / 2, 3 * longest / 4, longest }.Distinct().ToArray();
        text.AppendLine();
        text.AppendLine(F($"log10 ‖∂L/∂h_t‖ at T = {longest} (L: cross-entropy after the last symbol, step {longest}; L2 norm over a batch of {options.ProbeSize} sequences):"));
        text.Append("  cell            ");
        foreach (int t in columns) text.Append(F($"{"t=" + t,8}"));
        text.AppendLine("   decades lost per 10 steps");
        foreach (var cell in CellOrder)
        {
            var result = Find(runs, cell, longest).Result!;
            foreach (var (stage, norms) in new[] { ("init", result.InitialGradients!), ("trained", result.TrainedGradients!) })
            {
                text.Append(F($"  {Progress.Name(cell) + ", " + stage,-16}"));
                foreach (int t in columns) text.Append(F($"{Math.Log10(norms[t]),8:F1}"));
                text.AppendLine(F($"   {10 * (Math.Log10(norms[longest]) - Math.Log10(norms[0])) / longest,8:F2}"));
            }
        }
        Console.Write(text);
    }

    /// <summary>Writes accuracy.svg, gradients.svg and their data as CSV; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteFiles(IReadOnlyList<Run> runs, Options options, MemoryTask task)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var paths = new List<string>();
        string Save(string name, string content)
        {
            string path = Path.GetFullPath(Path.Combine(options.OutputDirectory, name));
            File.WriteAllText(path, content);
            paths.Add(path);
            return path;
        }

        Save("accuracy.svg", AccuracyPlot(runs, options, task).ToSvg());
        Save("gradients.svg", GradientPlot(runs, options).ToSvg());

        var accuracy = new StringBuilder("cell,T,test_accuracy,final_loss,seconds\n");
        foreach (var cell in CellOrder)
            foreach (int t in options.Lengths)
            {
                var r = Find(runs, cell, t).Result!;
                accuracy.AppendLine(F($"{Progress.Name(cell)},{t},{r.Accuracy:R},{r.FinalLoss:R},{r.Seconds:F2}"));
            }
        Save("accuracy.csv", accuracy.ToString());

        int longest = options.Lengths.Max();
        var gradients = new StringBuilder("cell,stage,t,gradient_norm\n");
        foreach (var cell in CellOrder)
        {
            var r = Find(runs, cell, longest).Result!;
            foreach (var (stage, norms) in new[] { ("init", r.InitialGradients!), ("trained", r.TrainedGradients!) })
                for (int t = 0; t < norms.Length; t++) gradients.AppendLine(F($"{Progress.Name(cell)},{stage},{t},{norms[t]:R}"));
        }
        Save("gradients.csv", gradients.ToString());
        return paths;
    }

    private static SvgPlot AccuracyPlot(IReadOnlyList<Run> runs, Options options, MemoryTask task)
    {
        // T doubles from point to point, so x is log2 T, labelled with T.
        var lengths = options.Lengths.Order().ToArray();
        double low = Math.Log2(lengths[0]), high = Math.Log2(lengths[^1]);
        double pad = Math.Max(0.25, (high - low) * 0.05);
        var plot = new SvgPlot
        {
            Title = F($"Recall the first symbol after T distractors ({options.Steps} training steps)"),
            XLabel = "T, distractor steps between the symbol and the answer (log scale)",
            YLabel = "test accuracy",
            XRange = (low - pad, high + pad),
            YRange = (0, 1.05),
            XTicks = [.. lengths.Select(t => new Tick(Math.Log2(t), t.ToString(CultureInfo.InvariantCulture)))],
            YTicks = [.. Enumerable.Range(0, 5).Select(i => new Tick(i * 0.25, F($"{i * 25}%")))],
        };
        plot.ReferenceLines.Add((1.0 / task.Classes, F($"chance (1/{task.Classes})")));
        foreach (var cell in CellOrder)
            plot.Series.Add(new Series(Progress.Name(cell), Color(cell),
                [.. lengths.Select(t => (Math.Log2(t), Find(runs, cell, t).Result!.Accuracy))], Markers: true,
                Width: cell == CellKind.Lstm ? 5 : 2)); // where LSTM and GRU agree (both 100%), the LSTM shows around the GRU
        return plot;
    }

    private static SvgPlot GradientPlot(IReadOnlyList<Run> runs, Options options)
    {
        int longest = options.Lengths.Max();
        var all = new List<Series>();
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var cell in CellOrder)
        {
            var r = Find(runs, cell, longest).Result!;
            foreach (var (stage, norms, dashed) in new[] { ("init", r.InitialGradients!, false), ("trained", r.TrainedGradients!, true) })
            {
                var points = norms.Select((g, t) => ((double)t, Math.Log10(g))).ToArray();
                foreach (var (_, y) in points.Where(p => double.IsFinite(p.Item2))) { min = Math.Min(min, y); max = Math.Max(max, y); }
                all.Add(new Series(F($"{Progress.Name(cell)}, {stage}"), Color(cell), points, Dashed: dashed));
            }
        }
        double yLow = Math.Floor(min) - 0.5, yHigh = Math.Ceiling(max) + 0.5;
        int yStep = Math.Max(1, (int)Math.Ceiling((yHigh - yLow) / 10));
        int xStep = NiceStep(longest);
        var plot = new SvgPlot
        {
            Title = F($"Gradient reaching h_t from the loss at step {longest}"),
            XLabel = F($"t, time step (the loss is read out after step {longest})"),
            YLabel = "log10 ‖∂L/∂h_t‖",
            XRange = (0, longest),
            YRange = (yLow, yHigh),
            XTicks = [.. Enumerable.Range(0, longest / xStep + 1).Select(i => new Tick(i * xStep, (i * xStep).ToString(CultureInfo.InvariantCulture)))],
            YTicks = [.. Enumerable.Range(0, (int)(yHigh - yLow) + 1).Select(i => (int)Math.Ceiling(yLow) + i).Where(v => v <= yHigh && v % yStep == 0)
                .Select(v => new Tick(v, v.ToString(CultureInfo.InvariantCulture)))],
        };
        plot.Series.AddRange(all);
        return plot;
    }

    private static int NiceStep(int range)
    {
        foreach (int step in new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 })
            if (range / step <= 10) return step;
        return range / 10;
    }

    private static Run Find(IReadOnlyList<Run> runs, CellKind cell, int t) => runs.First(r => r.Cell == cell && r.DistractorSteps == t);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
