namespace Autograd.Rnn;

/// <summary>
/// Checks of scalar arguments at the public boundary (hyper-parameters, distribution parameters). Each throws an
/// <see cref="ArgumentOutOfRangeException"/> whose message reads "<c>{operation}: {name} must be …</c>" and whose
/// <see cref="ArgumentOutOfRangeException.ActualValue"/> (appended to the message by .NET) is the value given.
/// </summary>
internal static class Require
{
    /// <summary>Throws unless <paramref name="value"/> is finite (neither NaN nor ±∞).</summary>
    public static double Finite(double value, string name, string operation) =>
        double.IsFinite(value) ? value : throw Error(value, name, operation, "finite");

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static double NonNegative(double value, string name, string operation) =>
        value >= 0 && double.IsFinite(value) ? value : throw Error(value, name, operation, "finite and ≥ 0");

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    public static double Positive(double value, string name, string operation) =>
        value > 0 && double.IsFinite(value) ? value : throw Error(value, name, operation, "finite and > 0");

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    public static double UnitInterval(double value, string name, string operation) =>
        value >= 0 && value < 1 ? value : throw Error(value, name, operation, "in [0, 1)");

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> ≤ 1.</summary>
    public static double ClosedUnitInterval(double value, string name, string operation) =>
        value >= 0 && value <= 1 ? value : throw Error(value, name, operation, "in [0, 1]");

    /// <summary>Throws unless <paramref name="value"/> ≥ 0.</summary>
    public static long NonNegative(long value, string name, string operation) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{operation}: {name} must be ≥ 0.");

    /// <summary>Throws unless <paramref name="value"/> &gt; 0.</summary>
    public static long Positive(long value, string name, string operation) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{operation}: {name} must be > 0.");

    private static ArgumentOutOfRangeException Error(double value, string name, string operation, string expected) =>
        new(name, value, $"{operation}: {name} must be {expected}.");
}
