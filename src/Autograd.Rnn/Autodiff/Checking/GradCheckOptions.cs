namespace Autograd.Rnn;

/// <summary>
/// How <see cref="GradCheck"/> compares analytic and numeric gradients. An entry passes when
/// |analytic − numeric| ≤ <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/>·|numeric|.
/// </summary>
/// <remarks>
/// Defaults suit <c>double</c>: a central difference with step h has truncation error O(h²·f‴) and rounding error
/// O(ε·|f|/h); h = 1e-6 balances them near 1e-10 for well-scaled functions, far inside the 1e-6 + 1e-4·|n| tolerance.
/// In <c>float</c> the same balance lands near 1e-3, hence <see cref="ForSingle"/>.
/// </remarks>
public sealed record GradCheckOptions
{
    /// <summary>Defaults for double-precision checks: step 1e-6, tolerance 1e-6 + 1e-4·|numeric|.</summary>
    public static GradCheckOptions Default { get; } = new();

    /// <summary>Looser defaults for float32 functions: step 1e-2, tolerance 1e-2 + 5e-2·|numeric|.</summary>
    public static GradCheckOptions ForSingle { get; } = new() { Step = 1e-2, AbsoluteTolerance = 1e-2, RelativeTolerance = 5e-2 };

    /// <summary>The finite-difference step h: the numeric derivative is (f(x + h) − f(x − h)) / 2h. Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Step { get; init => field = Require.Positive(value, nameof(Step), "GradCheckOptions"); } = 1e-6;

    /// <summary>The absolute part of the tolerance. Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double AbsoluteTolerance { get; init => field = Require.NonNegative(value, nameof(AbsoluteTolerance), "GradCheckOptions"); } = 1e-6;

    /// <summary>The part of the tolerance proportional to |numeric|. Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double RelativeTolerance { get; init => field = Require.NonNegative(value, nameof(RelativeTolerance), "GradCheckOptions"); } = 1e-4;

    /// <summary>
    /// A parameter with at most this many elements is checked entry by entry (two evaluations per entry); a larger one
    /// by <see cref="Directions"/> random directional derivatives. Must be ≥ 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int MaxEntriesPerParameter { get; init => field = (int)Require.NonNegative(value, nameof(MaxEntriesPerParameter), "GradCheckOptions"); } = 256;

    /// <summary>How many random directions to check for each large parameter. Must be &gt; 0: with none, a large parameter would pass unchecked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive.</exception>
    public int Directions { get; init => field = (int)Require.Positive(value, nameof(Directions), "GradCheckOptions"); } = 8;

    /// <summary>Seeds the random directions (and the random cotangent used when the function is not scalar).</summary>
    public ulong Seed { get; init; } = 12345;

    /// <summary>A copy with a different step.</summary>
    public GradCheckOptions WithStep(double step) => this with { Step = step };

    /// <summary>A copy with different tolerances.</summary>
    public GradCheckOptions WithTolerances(double absolute, double relative) => this with { AbsoluteTolerance = absolute, RelativeTolerance = relative };

    /// <summary>A copy with a different limit for entry-by-entry checks.</summary>
    public GradCheckOptions WithMaxEntriesPerParameter(int maxEntries) => this with { MaxEntriesPerParameter = maxEntries };
}
