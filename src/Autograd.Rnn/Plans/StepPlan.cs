using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// How <c>Recurrence.Scan</c> runs a cell's step: the first step whose state and input are untraced is recorded
/// (<see cref="PlanRecorder"/>) and every later one replays the plan. Only when nothing is traced — inference: evaluation,
/// generation — since a replay builds no graph; under <see cref="Grad"/> Scan runs the unroll as one planned op when it
/// can (<see cref="PlannedUnroll"/>; with a hook, per step: <see cref="PlannedStep{T}"/>), and otherwise (nested levels),
/// as inside <see cref="Compile.Eagerly"/>,
/// every step runs eagerly. A step that cannot be planned (it
/// reads traced values) runs eagerly from then on. The parameters are recorded as constants: a plan lives for one Scan.
/// </summary>
internal sealed class StepPlan<T>(Cell<T> cell, Params<T> parameters, bool enabled) where T : unmanaged, IFloatingPointIeee754<T>
{
    private Plan<T>? plan;
    private bool unplannable = !enabled;

    public static StepPlan<T> For(Cell<T> cell, Params<T> parameters) =>
        new(cell, parameters, PlanRecorder.CanPlan<T>(parameters.Tensors()));

    /// <summary>Whether the latest step ran from a plan (for tests).</summary>
    public bool LastStepPlanned { get; private set; }

    public RecurrentState<T> Step(RecurrentState<T> state, Tensor<T> input)
    {
        LastStepPlanned = false;
        if (unplannable) return cell.ProjectedStep(parameters, state, input);
        var arguments = new Tensor<T>[state.Count + 1];
        for (int i = 0; i < state.Count; i++) arguments[i] = state[i];
        arguments[^1] = input;
        if (!PlanRecorder.CanPlan<T>(arguments)) return cell.ProjectedStep(parameters, state, input);
        if (plan is null)
        {
            var recording = PlanRecorder.Record(Run, arguments);
            plan = recording.Plan;
            unplannable = plan is null;
            return RecurrentState<T>.Of(recording.Results);
        }
        if (!plan.Fits(arguments)) return cell.ProjectedStep(parameters, state, input);
        LastStepPlanned = true;
        return RecurrentState<T>.Of(plan.Run(arguments));
    }

    private Tensor<T>[] Run(Tensor<T>[] arguments)
    {
        var state = RecurrentState<T>.Of(arguments[..^1]);
        var next = cell.ProjectedStep(parameters, state, arguments[^1])
            ?? throw new InvalidOperationException($"Scan: the {cell.Name} cell returned null.");
        var parts = new Tensor<T>[next.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = next[i];
        return parts;
    }
}
