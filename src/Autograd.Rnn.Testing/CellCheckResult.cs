using System.Globalization;
using System.Text;

namespace Autograd.Rnn.Testing;

/// <summary>One compared quantity of a check: what was expected, what the cell gave, and the allowed error.</summary>
/// <param name="Location">What was compared, e.g. <c>gradient of weight_hh[2,0]</c> or <c>output[3,1,0] (t, batch, hidden)</c>.</param>
/// <param name="Expected">The reference: finite differences, the sequence run alone, zero padding, or double.</param>
/// <param name="Actual">What the check got from the cell.</param>
/// <param name="Allowed">The largest |actual − expected| that passes (0 for bit-for-bit comparisons).</param>
public sealed record CellCheckEntry(string Location, double Expected, double Actual, double Allowed)
{
    /// <summary>|actual − expected| (NaN when either is NaN; 0 when both are the same non-finite value).</summary>
    public double Error => Expected.Equals(Actual) ? 0 : Math.Abs(Actual - Expected);

    /// <summary>Whether the entry is within <see cref="Allowed"/>.</summary>
    public bool Passed => Error <= Allowed;

    /// <summary>Error / allowed: above 1 fails; infinite for NaN or any difference where none is allowed.</summary>
    public double Ratio => Error == 0 ? 0 : Allowed > 0 && double.IsFinite(Error) ? Error / Allowed : double.PositiveInfinity;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Location}: expected {Expected:G10}, got {Actual:G10} (error {Error:G3}, allowed {Allowed:G3})");
}

/// <summary>The verdict of one check over its generated cases.</summary>
/// <param name="Check">Which check.</param>
/// <param name="Passed">Whether every case passed.</param>
/// <param name="CasesRun">How many cases ran (a check stops at its first failing case).</param>
/// <param name="Case">The failing case; when the check passed, the case of <paramref name="Worst"/>.</param>
/// <param name="Worst">The entry that failed worst, or came closest to failing; null when nothing was compared or the cell threw.</param>
/// <param name="Error">When the cell threw, the exception's type and message; otherwise null.</param>
public sealed record CellCheckOutcome(CellCheckKind Check, bool Passed, int CasesRun, CellCase? Case, CellCheckEntry? Worst, string? Error = null)
{
    /// <summary>One line: the check, the verdict, the case and the worst entry (or the exception).</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Check}: {(Passed ? "passed" : "FAILED")} ({CasesRun} case{(CasesRun == 1 ? "" : "s")})");
        if (Case is not null) text.Append(Passed ? "; closest to failing at " : "; at ").Append(Case);
        if (Error is not null) text.Append("; threw ").Append(Error);
        if (Worst is not null) text.Append("; worst ").Append(Worst);
        return text.ToString();
    }
}

/// <summary>What <see cref="CellChecks.Run"/> found: one outcome per check that ran.</summary>
/// <param name="CellName">The cell's name.</param>
/// <param name="Checks">The outcomes, in the order Gradient, Padding, Layer, SinglePrecision.</param>
public sealed record CellCheckResult(string CellName, IReadOnlyList<CellCheckOutcome> Checks)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The checks that failed.</summary>
    public IReadOnlyList<CellCheckOutcome> Failures => [.. Checks.Where(c => !c.Passed)];

    /// <summary>The outcome of <paramref name="check"/>, or null when it did not run.</summary>
    public CellCheckOutcome? this[CellCheckKind check] => Checks.FirstOrDefault(c => c.Check == check);

    /// <summary>Throws when any check failed, with every outcome in the message; returns this result otherwise.</summary>
    /// <exception cref="CellCheckException">A check failed.</exception>
    public CellCheckResult ThrowIfFailed() => Passed ? this : throw new CellCheckException(this);

    /// <summary>The verdict, then one line per check.</summary>
    public override string ToString() =>
        $"{CellName} cell: {(Passed ? "passed" : "FAILED")} {Checks.Count(c => c.Passed)} of {Checks.Count} checks"
        + string.Concat(Checks.Select(c => "\n  " + c));
}

/// <summary>A cell failed <see cref="CellChecks"/>; the message names each failed check, its case and its worst entry.</summary>
public sealed class CellCheckException(CellCheckResult result) : Exception(result.ToString())
{
    /// <summary>The failed result.</summary>
    public CellCheckResult Result { get; } = result;
}
