using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Training with plans, one step at a time: when <c>Recurrence.Scan</c> runs an <c>afterStep</c> hook under exactly one
/// live <see cref="Grad"/> level, the hook (which depends on t, and may add values traced at that level, as
/// <see cref="GradientProbe"/> does) runs eagerly between steps, so the unroll cannot be one op (<see cref="PlannedUnroll"/>).
/// Each step is then one op at that level instead of every op of the cell: its forward replays the step's forward plan
/// (<see cref="StepVjpPlan{T}"/>, recorded on the first step that reads a traced value) and keeps the values the step's
/// VJP reads; its VJP replays the backward plan once for all its inputs. Its result is the next state's parts stacked,
/// [parts, batch, hidden]; the masks of variable lengths and the hook stay eager ops around it, as in the eager loop.
/// </summary>
/// <remarks>
/// The conditions are <see cref="PlannedUnroll"/>'s, checked per step: a step whose traced values belong to several
/// levels, whose values under the level are traced, that reads nothing traced (then the inference plan runs), or whose
/// shapes differ from the recorded ones is not planned here (<see cref="Step"/> returns null and the caller runs it as it
/// would without plans). Values are the eager bits; gradients sum the same terms in another order.
/// </remarks>
internal sealed class PlannedStep<T>(Cell<T> cell, Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] parameterTensors = parameters.Tensors();
    private StepVjpPlan<T>? plan;
    private Level? level;
    private bool unplannable;

    /// <summary>A planner of single steps when plans may be used for training now (one Grad level running), else null.</summary>
    public static PlannedStep<T>? For(Cell<T> cell, Params<T> parameters) =>
        PlanRecorder.Enabled && Grad.Running == 1 ? new PlannedStep<T>(cell, parameters) : null;

    /// <summary>The state after one step from <paramref name="state"/> on <paramref name="input"/> as one planned op, or null.</summary>
    public RecurrentState<T>? Step(RecurrentState<T> state, Tensor<T> input)
    {
        if (unplannable || !PlanRecorder.Enabled || Grad.Running != 1) return null;
        int parameterCount = parameterTensors.Length, parts = state.Count;
        // Everything the step reads, at its live levels: parameters, state parts, input.
        var inputs = new Tensor<T>[parameterCount + parts + 1];
        for (int i = 0; i < parameterCount; i++) inputs[i] = parameterTensors[i].Live;
        for (int p = 0; p < parts; p++) inputs[parameterCount + p] = state[p].Live;
        inputs[^1] = input.Live;
        Level? stepLevel = null;
        foreach (var value in inputs)
        {
            if (value.Node is null) continue;
            if (stepLevel is null) stepLevel = value.Node.Level;
            else if (value.Node.Level != stepLevel) return null;
            if (value.Primal!.IsTraced) return null;
        }
        if (stepLevel is null || stepLevel.IsPlanning) return null;

        var primals = Array.ConvertAll(inputs, value => value.PrimalAt(stepLevel.Id));
        if (plan is null)
        {
            plan = StepVjpPlan<T>.Record(cell, parameters.WithTensors(primals[..parameterCount]), primals, out _);
            level = stepLevel;
            unplannable = plan is null;
            if (plan is null) return null;
        }
        if (stepLevel != level || !plan.Forward.Fits(primals)) return null;

        var results = plan.Forward.Run(primals);
        var stateShape = primals[parameterCount].Shape;
        int size = stateShape.Size;
        var packed = GC.AllocateUninitializedArray<T>(parts * size);
        for (int p = 0; p < parts; p++) results[p].Value.Span.CopyTo(packed.AsSpan(p * size, size));
        var traced = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Node is not null && plan.Reached[i]) traced[i] = inputs[i];
        var vjp = new StepVjp(plan, primals, results[parts..], parameterCount, stateShape);
        var next = Tensor<T>.Record(new Tensor<T>(new NdArray<T>(packed, new Shape(parts, stateShape[0], stateShape[1]))),
            stepLevel, "Scan step (planned)", traced, vjp.Cotangent);
        return RecurrentState<T>.Of(Tensor.Unstack(next, 0));
    }

    /// <summary>One step's VJP: the backward plan runs once, on the first input's request, for every input.</summary>
    private sealed class StepVjp(StepVjpPlan<T> plan, Tensor<T>[] primals, Tensor<T>[] saved, int parameterCount, Shape stateShape)
    {
        private Tensor<T>? lastCotangent;
        private Tensor<T>[]? cotangents;

        public Tensor<T> Cotangent(Tensor<T> g, int inputIndex)
        {
            if (!ReferenceEquals(g, lastCotangent))
            {
                if (g.IsTraced)
                    throw new InvalidOperationException("Scan: a planned step's VJP was asked for a traced cotangent; it is not differentiable again.");
                int parts = plan.Parts;
                var arguments = new Tensor<T>[primals.Length + saved.Length + parts];
                primals.CopyTo(arguments, 0);
                saved.CopyTo(arguments, primals.Length);
                for (int p = 0; p < parts; p++)
                    arguments[primals.Length + saved.Length + p] = new Tensor<T>(g.Value.View(p * stateShape.Size, stateShape));
                cotangents = plan.Backward.Run(arguments);
                // The parameters' cotangents are views of the plan's buffers (borrowed), which the next step's VJP overwrites.
                for (int k = 0; k < parameterCount; k++)
                    cotangents[k] = new Tensor<T>(new NdArray<T>(cotangents[k].Value.ToArray(), cotangents[k].Shape));
                lastCotangent = g;
            }
            return cotangents![inputIndex];
        }
    }
}
