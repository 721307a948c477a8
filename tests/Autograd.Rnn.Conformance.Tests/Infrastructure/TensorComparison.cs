using System.Text;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Element-by-element comparison of our tensors with libtorch's, with a caller-chosen tolerance, that collects every
/// mismatch (so one failing test names every wrong tensor) and the largest relative difference seen.
/// Relative difference of an element: |ours − libtorch| / max(1, |libtorch|) — absolute below 1 in magnitude, where a
/// relative test would only measure cancellation in sums.
/// </summary>
public sealed class TensorComparison(double tolerance)
{
    private readonly StringBuilder failures = new();

    /// <summary>|ours − libtorch| ≤ Tolerance · max(1, |libtorch|) must hold for every element.</summary>
    public double Tolerance { get; } = tolerance;

    /// <summary>The largest relative difference over every element compared so far.</summary>
    public double LargestRelativeDifference { get; private set; }

    /// <summary>What was compared and where the largest difference was.</summary>
    public string LargestAt { get; private set; } = "(nothing compared)";

    /// <summary>True when every comparison so far was within the tolerance.</summary>
    public bool Passed => failures.Length == 0;

    /// <summary>The mismatches, one per line.</summary>
    public string Failures => failures.ToString();

    /// <summary>Compares one tensor; records a failure when the shapes differ or any element is off (NaN included).</summary>
    public void Compare(string what, Tensor<double> ours, Tensor<double> reference)
    {
        if (ours.Shape != reference.Shape)
        {
            failures.AppendLine($"  {what}: shape {ours.Shape}, libtorch {reference.Shape}");
            return;
        }
        var a = ours.ToArray();
        var b = reference.ToArray();
        int worst = -1;
        double worstRelative = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double relative = Math.Abs(a[i] - b[i]) / Math.Max(1.0, Math.Abs(b[i]));
            if (double.IsNaN(relative)) relative = double.PositiveInfinity;
            if (worst < 0 || relative > worstRelative)
            {
                worst = i;
                worstRelative = relative;
            }
        }
        if (worst < 0) return;
        if (worstRelative > LargestRelativeDifference || LargestAt == "(nothing compared)")
        {
            LargestRelativeDifference = Math.Max(LargestRelativeDifference, worstRelative);
            LargestAt = $"{what} element {worst}";
        }
        if (!(worstRelative <= Tolerance))
            failures.AppendLine(
                $"  {what} [{reference.Shape}]: element {worst} is {a[worst]:R}, libtorch {b[worst]:R} " +
                $"(relative difference {worstRelative:E2}, tolerance {Tolerance:E0})");
    }
}
