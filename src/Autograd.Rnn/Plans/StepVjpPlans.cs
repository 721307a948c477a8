using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Autograd.Rnn;

/// <summary>
/// The recorded step plans of cells whose step captures nothing, kept across <c>Recurrence.Scan</c> calls, so a training
/// loop records a layer's step and its VJP once instead of on every call. A step delegate whose target has no instance
/// fields (a lambda that closes over no variable, as the built-in LSTM's) computes the same function of its parameters,
/// state and input on every call, so its plan for given parameter names, shapes and state and input shapes is the same
/// too; so does a user's function wrapped by
/// <see cref="Cell.FromFunction{T}(string, Func{Params{T}, Tensor{T}, Tensor{T}, Tensor{T}}, Func{int, int, ulong, Params{T}})"/>
/// when it closes over nothing (see <see cref="CapturesNothing"/>). A step that closes over anything (a tensor or a
/// setting a caller may change between calls) is recorded on every call, as before.
/// </summary>
/// <remarks>
/// Plans are kept per thread (a plan runs one step at a time) and per cell (released with it). Sharing one plan between
/// unrolls of the same thread is safe: a run keeps nothing for the next one (every result the unroll keeps is written
/// into its own slabs, and borrowed results are read before the next run).
/// </remarks>
internal static class StepVjpPlans<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// At most this many plans per cell and thread (a cell used at several shapes, and the row groups of a split unroll,
    /// <see cref="BatchSplit"/>); the oldest is dropped.
    /// </summary>
    private const int Capacity = 16;

    [ThreadStatic] private static ConditionalWeakTable<Cell<T>, Kept>? kept;

    private sealed class Kept(bool capturesNothing)
    {
        public bool CapturesNothing { get; } = capturesNothing;

        public List<(string[] Names, int Instance, StepVjpPlan<T> Plan)> Plans { get; } = [];
    }

    /// <summary>
    /// The plan of <paramref name="cell"/>'s step for these parameters (by name and shape) and arguments (parameters, state
    /// parts, input), from an earlier call when there is one, else recorded (see <see cref="StepVjpPlan{T}.Record"/>). A plan
    /// runs one step at a time, so the row groups of a split unroll (<see cref="BatchSplit"/>), which run at once, each ask
    /// for their own <paramref name="instance"/> (0, 1, …) even where their shapes agree.
    /// </summary>
    public static StepVjpPlan<T>? For(Cell<T> cell, Params<T> parameters, Tensor<T>[] arguments, int instance = 0)
    {
        var entry = (kept ??= new()).GetValue(cell, c => new Kept(CapturesNothing(c.ProjectedStep)));
        if (entry.CapturesNothing)
            foreach (var (names, kept, plan) in entry.Plans)
                if (kept == instance && plan.Forward.Fits(arguments) && SameNames(names, parameters.Names)) return plan;
        var recorded = StepVjpPlan<T>.Record(cell, parameters, arguments, out _, stackContractions: true);
        if (recorded is not null && entry.CapturesNothing)
        {
            if (entry.Plans.Count == Capacity) entry.Plans.RemoveAt(0);
            entry.Plans.Add(([.. parameters.Names], instance, recorded));
        }
        return recorded;
    }

    /// <summary>
    /// Whether <paramref name="step"/> computes the same function on every call: its target has no instance fields, or
    /// only readonly ones holding delegates that capture nothing themselves (a wrapper such as
    /// <see cref="Cell.FromFunction{T}(string, Func{Params{T}, Tensor{T}, Tensor{T}, Tensor{T}}, Func{int, int, ulong, Params{T}})"/>'s
    /// around a lambda that closes over nothing). A captured variable is a writable field, so it never qualifies.
    /// </summary>
    internal static bool CapturesNothing(Delegate step, int depth = 0)
    {
        if (step.Target is null) return true;
        if (depth == 4) return false;
        foreach (var field in step.Target.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            if (!field.IsInitOnly || field.GetValue(step.Target) is not Delegate inner || !CapturesNothing(inner, depth + 1))
                return false;
        return true;
    }

    private static bool SameNames(string[] names, IReadOnlyList<string> other)
    {
        if (names.Length != other.Count) return false;
        for (int i = 0; i < names.Length; i++) if (!string.Equals(names[i], other[i], StringComparison.Ordinal)) return false;
        return true;
    }
}
