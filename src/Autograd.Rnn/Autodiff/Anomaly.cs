using System.Diagnostics;
using System.Numerics;
using System.Reflection;

namespace Autograd.Rnn;

/// <summary>
/// Anomaly detection, for finding where a NaN or an infinity comes from. Inside a scope opened by <see cref="Detect"/>
/// on the current thread, every op checks the values it produces, forward and backward (the VJP rules run ops too),
/// and the first non-finite value throws an <see cref="AnomalyException"/> naming the op, the shapes, the
/// differentiation level and the file and line of the caller's code that created the node: for a backward value, where
/// the forward op whose VJP produced it was called. Nodes recorded inside the scope remember their call site, which
/// costs a stack walk per op: a debugging mode, many times slower than normal runs. Outside any scope nothing is
/// checked or recorded; the one cost left is a read of a static field per op.
/// </summary>
public static class Anomaly
{
    // Scopes open on any thread: while 0, ops skip the thread-static lookups below entirely.
    private static int openScopes;

    [ThreadStatic] private static int depth;
    [ThreadStatic] private static bool includeInfinities;
    [ThreadStatic] private static int suppressed;
    [ThreadStatic] private static string? backwardContext;
    [ThreadStatic] private static string? backwardOrigin;

    /// <summary>Whether anomaly detection is on for the current thread.</summary>
    public static bool IsEnabled => depth > 0;

    internal static bool Active => Volatile.Read(ref openScopes) != 0 && depth > 0 && suppressed == 0;

    /// <summary>
    /// Turns anomaly detection on for the current thread until the returned scope is disposed
    /// (C#: <c>using (Anomaly.Detect()) { … }</c>; F#: <c>use _ = Anomaly.Detect()</c>). Scopes nest.
    /// </summary>
    /// <param name="includeInfinities">Also stop at ±∞ (the default). Pass false where infinities are intended, e.g.
    /// logits masked with −∞, so that only NaN stops the run.</param>
    public static IDisposable Detect(bool includeInfinities = true)
    {
        var scope = new Scope(depth == 0 ? includeInfinities : Anomaly.includeInfinities);
        Anomaly.includeInfinities = includeInfinities || (depth > 0 && Anomaly.includeInfinities);
        depth++;
        Interlocked.Increment(ref openScopes);
        return scope;
    }

    private sealed class Scope(bool previousIncludeInfinities) : IDisposable
    {
        private readonly int thread = Environment.CurrentManagedThreadId;
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            if (Environment.CurrentManagedThreadId != thread)
                throw new InvalidOperationException("Anomaly.Detect: a scope must be disposed on the thread that opened it.");
            disposed = true;
            depth--;
            includeInfinities = previousIncludeInfinities;
            Interlocked.Decrement(ref openScopes);
        }
    }

    /// <summary>While open, ops do not check: an op's primal computation one level down is checked once, by the op, at its own level.</summary>
    internal static Suppression Suppress()
    {
        suppressed++;
        return default;
    }

    internal readonly struct Suppression : IDisposable
    {
        public void Dispose() => suppressed--;
    }

    /// <summary>While open, anomalies found by ops name <paramref name="node"/>'s backward pass as where they arose.</summary>
    internal static BackwardScope InBackwardOf<T>(Node<T> node, int inputIndex) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scope = new BackwardScope(backwardContext, backwardOrigin);
        backwardOrigin = node.Origin ?? "an unknown place";
        backwardContext = $"in the backward pass of {node.Operation} (input {inputIndex}; level {node.Level.Depth}; created at {backwardOrigin})";
        return scope;
    }

    internal readonly struct BackwardScope(string? outerContext, string? outerOrigin) : IDisposable
    {
        public void Dispose() => (backwardContext, backwardOrigin) = (outerContext, outerOrigin);
    }

    /// <summary>Throws when <paramref name="result"/> holds a value detection stops at; otherwise returns it.</summary>
    internal static Tensor<T> Check<T>(string operation, Tensor<T> result, Level? level, ReadOnlySpan<Tensor<T>> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = FirstAnomaly(result.Value.Span);
        if (index < 0) return result;
        int depth = level?.Depth ?? 0;
        var described = new List<string>();
        bool fromFiniteInputs = true;
        foreach (var input in inputs)
        {
            int bad = FirstAnomaly(input.Value.Span);
            described.Add(bad < 0 ? $"{input.Shape}" : $"{input.Shape} holding {input.Value.Span[bad]} at {Index(input.Shape, bad)}");
            fromFiniteInputs &= bad < 0;
        }
        string origin = backwardOrigin ?? CallSite() ?? "an unknown place";
        string pass = backwardContext is null ? "" : $" {backwardContext},";
        string where = backwardContext is null ? $"; called at {origin}" : "";
        throw new AnomalyException(
            $"Anomaly:{pass} {operation} produced {result.Value.Span[index]} at {Index(result.Shape, index)} of its result {result.Shape} " +
            $"{(fromFiniteInputs ? "from finite inputs" : "from non-finite inputs")} ({string.Join(", ", described)}); " +
            $"level {depth}{where}.",
            operation, depth, origin, backwardContext is not null);
    }

    /// <summary>The first frame outside this library, as "file:line (Type.Method)", or null when there is none.</summary>
    internal static string? CallSite()
    {
        var library = typeof(Anomaly).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var assembly = method?.DeclaringType?.Assembly;
            if (method is null || assembly == library || assembly == typeof(object).Assembly || IsFramework(assembly)) continue;
            string where = $"{method.DeclaringType?.Name}.{method.Name}";
            return frame.GetFileName() is { } file ? $"{file}:{frame.GetFileLineNumber()} ({where})" : where;
        }
        return null;
    }

    private static bool IsFramework(Assembly? assembly) =>
        assembly?.GetName().Name is { } name && (name.StartsWith("System.", StringComparison.Ordinal) || name == "FSharp.Core");

    private static int FirstAnomaly<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool infinities = includeInfinities;
        for (int i = 0; i < values.Length; i++)
            if (T.IsNaN(values[i]) || (infinities && T.IsInfinity(values[i]))) return i;
        return -1;
    }

    private static string Index(Shape shape, int flat)
    {
        if (shape.Rank == 0) return "[]";
        var index = new int[shape.Rank];
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return "[" + string.Join(", ", index) + "]";
    }
}

/// <summary>
/// Thrown inside <see cref="Anomaly.Detect"/> at the first op that produces a NaN (or, unless excluded, an infinity).
/// </summary>
public sealed class AnomalyException : ArithmeticException
{
    internal AnomalyException(string message, string operation, long level, string origin, bool inBackwardPass) : base(message)
    {
        Operation = operation;
        Level = level;
        Origin = origin;
        InBackwardPass = inBackwardPass;
    }

    /// <summary>The op that produced the value.</summary>
    public string Operation { get; }

    /// <summary>The differentiation level the op ran at (0 for constants, one more per enclosing <see cref="Grad"/> call).</summary>
    public long Level { get; }

    /// <summary>
    /// The caller's code that ran the op, or, in a backward pass, that ran the forward op whose VJP this is:
    /// "file:line (Type.Method)" when debug symbols are available.
    /// </summary>
    public string Origin { get; }

    /// <summary>Whether the op ran inside a VJP rule during a backward pass (the message then names the forward op).</summary>
    public bool InBackwardPass { get; }
}
