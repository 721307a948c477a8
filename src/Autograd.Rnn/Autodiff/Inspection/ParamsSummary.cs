using System.Globalization;
using System.Numerics;
using System.Text;

namespace Autograd.Rnn;

/// <summary>One parameter in a <see cref="ParamsSummary"/>.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Count">Its number of elements.</param>
/// <param name="Bytes">Its size in memory: elements × element size.</param>
public sealed record ParamsSummaryRow(string Name, Shape Shape, long Count, long Bytes);

/// <summary>
/// A model's parameters at a glance: name, shape, element count and bytes of each, and the totals. <see cref="ToString"/>
/// gives the table, e.g. for <c>Console.WriteLine(parameters.Summary())</c>.
/// </summary>
/// <param name="Rows">One row per parameter, in the collection's order.</param>
/// <param name="ElementType">"float32" or "float64".</param>
public sealed record ParamsSummary(IReadOnlyList<ParamsSummaryRow> Rows, string ElementType)
{
    /// <summary>The number of elements over all parameters.</summary>
    public long TotalCount => Rows.Sum(r => r.Count);

    /// <summary>The bytes over all parameters.</summary>
    public long TotalBytes => Rows.Sum(r => r.Bytes);

    /// <summary>The table: one line per parameter, then the totals, with counts grouped by thousands.</summary>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        string[] header = ["name", "shape", "count", "bytes"];
        var cells = Rows.Select(r => new[] { r.Name, r.Shape.ToString(), r.Count.ToString("N0", culture), r.Bytes.ToString("N0", culture) }).ToList();
        string[] total = [$"total ({Rows.Count} parameters, {ElementType})", "", TotalCount.ToString("N0", culture), TotalBytes.ToString("N0", culture)];
        var widths = new int[4];
        foreach (var row in cells.Append(header).Append(total))
            for (int c = 0; c < 4; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        var text = new StringBuilder();
        void Line(string[] row) => text.Append(row[0].PadRight(widths[0])).Append("  ").Append(row[1].PadRight(widths[1])).Append("  ")
            .Append(row[2].PadLeft(widths[2])).Append("  ").Append(row[3].PadLeft(widths[3])).Append('\n');
        Line(header);
        text.Append(new string('-', widths.Sum() + 6)).Append('\n');
        foreach (var row in cells) Line(row);
        text.Append(new string('-', widths.Sum() + 6)).Append('\n');
        Line(total);
        return text.ToString();
    }

    internal static ParamsSummary Of<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int elementBytes = typeof(T) == typeof(float) ? sizeof(float) : sizeof(double);
        var rows = parameters.Select(p => new ParamsSummaryRow(p.Key, p.Value.Shape, p.Value.Size, (long)p.Value.Size * elementBytes)).ToList();
        return new ParamsSummary(rows, typeof(T) == typeof(float) ? "float32" : "float64");
    }
}
