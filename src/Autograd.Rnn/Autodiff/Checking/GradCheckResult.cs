using System.Globalization;

namespace Autograd.Rnn;

/// <summary>One compared quantity: a gradient entry, or a directional derivative along a random direction.</summary>
/// <param name="Parameter">The parameter's name (<c>"input"</c> for a single-tensor check); <c>"output"</c> for a JVP check.</param>
/// <param name="Index">The entry's index (one per dimension), or empty for a directional derivative of a gradient check;
/// for a JVP check, the index of the output element.</param>
/// <param name="Direction">For a directional derivative, which random direction (0-based); otherwise −1.</param>
/// <param name="Analytic">What reverse mode (forward mode, for a JVP check) computed.</param>
/// <param name="Numeric">What central differences computed.</param>
public sealed record GradCheckEntry(string Parameter, IReadOnlyList<int> Index, int Direction, double Analytic, double Numeric)
{
    /// <summary>|analytic − numeric|.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>|analytic − numeric| / |numeric| (infinite when numeric is 0 and they differ).</summary>
    public double RelativeError => AbsoluteError == 0 ? 0 : AbsoluteError / Math.Abs(Numeric);

    /// <summary>Where the entry is, e.g. <c>w[1,2]</c>, <c>w along random direction 3</c> or <c>output[0,1] along random direction 3</c>.</summary>
    public string Location => Direction >= 0
        ? (Index.Count == 0 ? Parameter : $"{Parameter}[{string.Join(",", Index)}]") + $" along random direction {Direction}"
        : $"{Parameter}[{string.Join(",", Index)}]";

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Location}: analytic {Analytic:G10}, numeric {Numeric:G10}, absolute error {AbsoluteError:G3}, relative error {RelativeError:G3}");
}

/// <summary>The verdict of a gradient check, with the entry that came closest to failing (or failed worst).</summary>
/// <param name="Passed">Whether every compared entry was within tolerance.</param>
/// <param name="Checked">How many entries and directions were compared.</param>
/// <param name="Failed">How many were outside tolerance.</param>
/// <param name="Worst">The entry with the largest error relative to its tolerance; null when nothing was compared.</param>
/// <param name="Options">The step and tolerances used.</param>
public sealed record GradCheckResult(bool Passed, int Checked, int Failed, GradCheckEntry? Worst, GradCheckOptions Options)
{
    /// <summary>Throws when the check failed, with the worst entry in the message.</summary>
    /// <exception cref="GradCheckException">The check failed.</exception>
    public GradCheckResult ThrowIfFailed() => Passed ? this : throw new GradCheckException(this);

    /// <summary>One line: the verdict, the count, the tolerance and the worst entry.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{(Passed ? "passed" : "FAILED")}: {Checked - Failed} of {Checked} within {Options.AbsoluteTolerance:G3} + {Options.RelativeTolerance:G3}·|numeric|")
        + (Worst is null ? "" : "; worst " + Worst);
}

/// <summary>A gradient check failed; the message names the worst entry.</summary>
public sealed class GradCheckException(GradCheckResult result) : Exception("Gradient check " + result)
{
    /// <summary>The failed check.</summary>
    public GradCheckResult Result { get; } = result;
}
