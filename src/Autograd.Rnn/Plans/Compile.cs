using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Trace once, run many: compiles a function of tensors with fixed shapes into a plan. The first call with a given set
/// of input shapes runs the function eagerly while recording every op it calls; later calls with those shapes replay
/// the recording with buffers allocated once, elementwise ops fused into passes over small blocks and matrix products
/// written straight into their buffers — no graph, no closures, no intermediate arrays. Results are bit-identical to
/// running the function eagerly. <c>Recurrence.Scan</c> compiles every cell's step this way.
/// </summary>
/// <remarks>
/// The function must be pure: its result may depend only on its inputs and on values that do not change between calls
/// (tensors it closes over are recorded as constants). A function that reads the values of what it computes from its
/// inputs (<c>Item</c>, <c>ToArray</c>, the indexer, <c>ToString</c>, <c>StopGradient</c> or a <c>Where</c> mask of
/// them) cannot be replayed, since those values may steer it differently next time: it then always runs eagerly, never
/// wrongly. A call under one <see cref="Grad"/> level (training) runs planned too, as one op whose VJP replays a plan of
/// the function's VJP recorded with it (a function with one result; one such pair of plans per set of input shapes).
/// Calls under several levels (gradients of gradients), inside <see cref="Compile.Eagerly"/> or
/// <see cref="Anomaly.Detect"/>, and calls that overlap on several threads run eagerly. One plan is kept per set of
/// input shapes.
/// </remarks>
public static class Compile
{
    /// <summary>Compiles a function of one tensor (see <see cref="Compile"/>).</summary>
    public static Func<Tensor<T>, Tensor<T>> Function<T>(Func<Tensor<T>, Tensor<T>> function) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        var compiled = new CompiledFunction<T>(inputs => [function(inputs[0])]);
        return x => compiled.Invoke([x])[0];
    }

    /// <summary>Compiles a function of two tensors (see <see cref="Compile"/>).</summary>
    public static Func<Tensor<T>, Tensor<T>, Tensor<T>> Function<T>(Func<Tensor<T>, Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        var compiled = new CompiledFunction<T>(inputs => [function(inputs[0], inputs[1])]);
        return (x, y) => compiled.Invoke([x, y])[0];
    }

    /// <summary>
    /// Compiles a function of parameters and one tensor, such as a model's forward pass (see <see cref="Compile"/>).
    /// The parameters are inputs of the plan, so new values (after an optimizer step) reuse it; new names or shapes record another.
    /// </summary>
    public static Func<Params<T>, Tensor<T>, Tensor<T>> Function<T>(Func<Params<T>, Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        return Function(function, int.MaxValue);
    }

    /// <summary>As the public form, keeping the plans of at most <paramref name="capacity"/> sets of shapes per set of names.</summary>
    internal static Func<Params<T>, Tensor<T>, Tensor<T>> Function<T>(Func<Params<T>, Tensor<T>, Tensor<T>> function, int capacity)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var byNames = new Dictionary<string, CompiledFunction<T>>();
        return (parameters, x) =>
        {
            ArgumentNullException.ThrowIfNull(parameters);
            string key = string.Join("\n", parameters.Names);
            CompiledFunction<T>? compiled;
            lock (byNames)
            {
                if (!byNames.TryGetValue(key, out compiled))
                    byNames[key] = compiled = new CompiledFunction<T>(inputs => [function(parameters.WithTensors(inputs[..^1]), inputs[^1])], capacity);
            }
            var tensors = parameters.Tensors();
            var all = new Tensor<T>[tensors.Length + 1];
            tensors.CopyTo(all, 0);
            all[^1] = x;
            return compiled.Invoke(all)[0];
        };
    }

    /// <summary>
    /// Compiles a function of any number of tensors to any number of tensors (see <see cref="Compile"/>); the
    /// compiled function takes and returns arrays of the same lengths.
    /// </summary>
    public static Func<Tensor<T>[], Tensor<T>[]> Function<T>(Func<Tensor<T>[], Tensor<T>[]> function) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        var compiled = new CompiledFunction<T>(function);
        return compiled.Invoke;
    }

    /// <summary>
    /// Runs everything eagerly on the current thread — compiled functions and <c>Recurrence.Scan</c>'s steps — until the
    /// returned scope is disposed (C#: <c>using (Compile.Eagerly()) { … }</c>; F#: <c>use _ = Compile.Eagerly()</c>).
    /// For debugging, and for comparing plans with the eager reference. Scopes nest.
    /// </summary>
    public static IDisposable Eagerly()
    {
        PlanRecorder.EnterEager();
        return new EagerScope();
    }

    /// <summary>
    /// Whether plans are off on the current thread (inside <see cref="Eagerly"/> or <see cref="Anomaly.Detect"/>, or for
    /// the whole process by the <see cref="EagerSwitch"/> AppContext switch).
    /// </summary>
    public static bool IsEager => !PlanRecorder.Enabled;

    /// <summary>
    /// The name of the AppContext switch that runs the whole process eagerly, on every thread: set it before the first
    /// tensor op (C#: <c>AppContext.SetSwitch(Compile.EagerSwitch, true)</c>; F#:
    /// <c>AppContext.SetSwitch(Compile.EagerSwitch, true)</c>), or in the project file as
    /// <c>&lt;RuntimeHostConfigurationOption Include="Autograd.Rnn.Compile.Eagerly" Value="true" /&gt;</c>. It is read once;
    /// later changes have no effect. For debugging a program whose threads you do not control, and for running a test
    /// suite against the eager reference.
    /// </summary>
    public const string EagerSwitch = "Autograd.Rnn.Compile.Eagerly";

    private sealed class EagerScope : IDisposable
    {
        private readonly int thread = Environment.CurrentManagedThreadId;
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            if (Environment.CurrentManagedThreadId != thread)
                throw new InvalidOperationException("Compile.Eagerly: a scope must be disposed on the thread that opened it.");
            disposed = true;
            PlanRecorder.ExitEager();
        }
    }
}
