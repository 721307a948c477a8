using System.Numerics;

namespace Autograd.Rnn;

/// <summary>A function's results from one eager run, and the plan recorded from that run (null when it cannot be planned).</summary>
internal sealed record Recording<T>(Tensor<T>[] Results, Plan<T>? Plan, string? Reason) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Record-and-replay: runs a function once, eagerly, on its real inputs wrapped as leaves of a dedicated planning level,
/// so that every op it calls records a node with its replayable step (<see cref="PlanStep{T}"/>), then builds the plan
/// from those nodes. Ops on values that do not depend on the inputs run once, here, and enter the plan as constants.
/// </summary>
internal static class PlanRecorder
{
    // Eager scopes open on this thread (Compile.Eagerly).
    [ThreadStatic] private static int eagerScopes;

    /// <summary>
    /// Whether the process turned plans off with the AppContext switch <see cref="Compile.EagerSwitch"/> (read once, at
    /// the first op that asks, so a program sets it at start-up or in its runtimeconfig).
    /// </summary>
    private static readonly bool eagerProcess = AppContext.TryGetSwitch(Compile.EagerSwitch, out bool eager) && eager;

    /// <summary>
    /// Whether plans may be used on this thread now: not switched off for the process, not inside <c>Compile.Eagerly</c>
    /// nor anomaly detection, nor a Vmap call (a plan replays kernels on one example's shapes, where a batched tensor holds a whole batch).
    /// </summary>
    public static bool Enabled => !eagerProcess && eagerScopes == 0 && !Anomaly.IsEnabled && !Grad.AnyVmapRunning;

    public static void EnterEager() => eagerScopes++;

    public static void ExitEager() => eagerScopes--;

    /// <summary>Whether a plan may stand in for the function on these inputs: plans are on and no input is traced.</summary>
    public static bool CanPlan<T>(ReadOnlySpan<Tensor<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Enabled) return false;
        foreach (var input in inputs) if (input.IsTraced) return false;
        return true;
    }

    /// <summary>Runs <paramref name="function"/> on untraced <paramref name="inputs"/> and records its plan.</summary>
    public static Recording<T> Record<T>(Func<Tensor<T>[], Tensor<T>[]> function, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var level = Grad.NewLevel(planning: true);
        try
        {
            var leaves = Array.ConvertAll(inputs, input => Tensor<T>.Leaf(input.Live, level));
            var outputs = function(leaves) ?? throw new InvalidOperationException("Compile: the function returned null.");
            for (int i = 0; i < outputs.Length; i++)
                if (outputs[i] is null) throw new InvalidOperationException($"Compile: the function returned null as result {i}.");
            var plan = PlanBuilder.Build(level, leaves, outputs, out string? reason);
            var results = Array.ConvertAll(outputs, output => output.Live.PrimalAt(level.Id));
            return new Recording<T>(results, plan, reason);
        }
        finally
        {
            Grad.End(level);
        }
    }
}
