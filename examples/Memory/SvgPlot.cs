using System.Globalization;
using System.Text;

namespace Memory;

/// <summary>A line of a plot: its points in data coordinates (non-finite values are left out, breaking the line).</summary>
/// <param name="Width">Line width; a wider line drawn first stays visible around a narrower one drawn over it at the same values.</param>
internal sealed record Series(string Label, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, bool Markers = false,
    double Width = 2);

/// <summary>A tick on an axis: where (in data coordinates) and what it says.</summary>
internal sealed record Tick(double Value, string Label);

/// <summary>
/// A line chart written as SVG text by hand — axes, ticks, grid, labels, legend and polylines — so the example needs no
/// plotting package. Data coordinates map linearly onto the plot area; a caller wanting a log axis passes log values
/// and labels its ticks accordingly.
/// </summary>
internal sealed class SvgPlot
{
    private const double Width = 720, Height = 440, Left = 80, Right = 190, Top = 50, Bottom = 60;

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    public required (double Min, double Max) XRange { get; init; }

    public required (double Min, double Max) YRange { get; init; }

    public required IReadOnlyList<Tick> XTicks { get; init; }

    public required IReadOnlyList<Tick> YTicks { get; init; }

    public List<Series> Series { get; } = [];

    /// <summary>Horizontal reference lines (e.g. chance level), drawn dotted in grey with a label at the left end.</summary>
    public List<(double Y, string Label)> ReferenceLines { get; } = [];

    public void Save(string path) => File.WriteAllText(path, ToSvg());

    public string ToSvg()
    {
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(double x) => Left + (x - XRange.Min) / (XRange.Max - XRange.Min) * plotWidth;
        double Y(double y) => Top + (YRange.Max - y) / (YRange.Max - YRange.Min) * plotHeight;

        var svg = new StringBuilder();
        svg.AppendLine(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">"));
        svg.AppendLine(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.AppendLine(F($"<text x=\"{Left + plotWidth / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{Escape(Title)}</text>"));

        // Grid and ticks.
        foreach (var tick in XTicks)
        {
            double x = X(tick.Value);
            svg.AppendLine(F($"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Top + plotHeight}\" stroke=\"#e5e5e5\"/>"));
            svg.AppendLine(F($"<line x1=\"{x:F1}\" y1=\"{Top + plotHeight}\" x2=\"{x:F1}\" y2=\"{Top + plotHeight + 5}\" stroke=\"black\"/>"));
            svg.AppendLine(F($"<text x=\"{x:F1}\" y=\"{Top + plotHeight + 20}\" text-anchor=\"middle\">{Escape(tick.Label)}</text>"));
        }
        foreach (var tick in YTicks)
        {
            double y = Y(tick.Value);
            svg.AppendLine(F($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#e5e5e5\"/>"));
            svg.AppendLine(F($"<line x1=\"{Left - 5}\" y1=\"{y:F1}\" x2=\"{Left}\" y2=\"{y:F1}\" stroke=\"black\"/>"));
            svg.AppendLine(F($"<text x=\"{Left - 9}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Escape(tick.Label)}</text>"));
        }
        svg.AppendLine(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"black\"/>"));
        svg.AppendLine(F($"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(XLabel)}</text>"));
        svg.AppendLine(F($"<text transform=\"translate(22 {Top + plotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(YLabel)}</text>"));

        foreach (var (value, label) in ReferenceLines)
        {
            double y = Y(value);
            svg.AppendLine(F($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>"));
            svg.AppendLine(F($"<text x=\"{Left + 6}\" y=\"{y - 5:F1}\" fill=\"#666\" font-size=\"12\">{Escape(label)}</text>"));
        }

        // The data, clipped to the plot area.
        svg.AppendLine(F($"<clipPath id=\"area\"><rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\"/></clipPath>"));
        svg.AppendLine("<g clip-path=\"url(#area)\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\">");
        foreach (var series in Series)
        {
            string dash = series.Dashed ? " stroke-dasharray=\"7 4\"" : "";
            foreach (var segment in Segments(series.Points))
            {
                string points = string.Join(" ", segment.Select(p => F($"{X(p.X):F1},{Y(p.Y):F1}")));
                svg.AppendLine(F($"<polyline points=\"{points}\" stroke=\"{series.Color}\" stroke-width=\"{series.Width}\"{dash}/>"));
            }
            if (series.Markers)
                foreach (var (x, y) in series.Points.Where(p => double.IsFinite(p.Y)))
                    svg.AppendLine(F($"<circle cx=\"{X(x):F1}\" cy=\"{Y(y):F1}\" r=\"{1.5 + series.Width}\" fill=\"{series.Color}\" stroke=\"none\"/>"));
        }
        svg.AppendLine("</g>");

        // Legend, right of the plot.
        double legendX = Left + plotWidth + 15, legendY = Top + 10;
        foreach (var series in Series)
        {
            string dash = series.Dashed ? " stroke-dasharray=\"7 4\"" : "";
            svg.AppendLine(F($"<line x1=\"{legendX}\" y1=\"{legendY}\" x2=\"{legendX + 28}\" y2=\"{legendY}\" stroke=\"{series.Color}\" stroke-width=\"{series.Width}\"{dash}/>"));
            if (series.Markers)
                svg.AppendLine(F($"<circle cx=\"{legendX + 14}\" cy=\"{legendY}\" r=\"{1.5 + series.Width}\" fill=\"{series.Color}\"/>"));
            svg.AppendLine(F($"<text x=\"{legendX + 36}\" y=\"{legendY + 4}\">{Escape(series.Label)}</text>"));
            legendY += 22;
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    // Runs of consecutive finite points: a non-finite value (e.g. log10 of an underflowed 0) breaks the line.
    private static IEnumerable<List<(double X, double Y)>> Segments(IReadOnlyList<(double X, double Y)> points)
    {
        var current = new List<(double X, double Y)>();
        foreach (var point in points)
        {
            if (double.IsFinite(point.X) && double.IsFinite(point.Y)) { current.Add(point); continue; }
            if (current.Count > 0) yield return current;
            current = [];
        }
        if (current.Count > 0) yield return current;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
