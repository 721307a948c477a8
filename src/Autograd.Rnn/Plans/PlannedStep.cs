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
/// The parameters reach the steps through one token op (<see cref="ParameterSums"/>), so their per-step cotangents are
/// added into one buffer each instead of each step handing the sweep a weight-sized tensor to add.
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
    private ParameterSums? sums;
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
        if (PlannedUnroll.SoleReverseLevel<T>(inputs) is not { } stepLevel) return null;

        var primals = Array.ConvertAll(inputs, value => value.PrimalAt(stepLevel.Id));
        if (plan is null)
        {
            plan = StepVjpPlan<T>.Record(cell, parameters.WithTensors(primals[..parameterCount]), primals, out _);
            level = stepLevel;
            unplannable = plan is null;
            if (plan is null) return null;
            sums = ParameterSums.For(inputs[..parameterCount], plan.Reached, stepLevel);
        }
        if (stepLevel != level || !plan.Forward.Fits(primals)) return null;

        var results = plan.Forward.Run(primals);
        var stateShape = primals[parameterCount].Shape;
        int size = stateShape.Size;
        var packed = GC.AllocateUninitializedArray<T>(parts * size);
        for (int p = 0; p < parts; p++) results[p].Value.Span.CopyTo(packed.AsSpan(p * size, size));
        // The op reads the state parts, the input and the parameters' token; op input i < parts + 1 is step input
        // parameterCount + i.
        var traced = new Tensor<T>?[parts + 2];
        for (int i = 0; i <= parts; i++)
            if (inputs[parameterCount + i].Node is not null && plan.Reached[parameterCount + i]) traced[i] = inputs[parameterCount + i];
        traced[^1] = sums?.Token;
        var vjp = new StepVjp(plan, primals, results[parts..], sums, stateShape);
        var next = Tensor<T>.Record(new Tensor<T>(new NdArray<T>(packed, new Shape(parts, stateShape[0], stateShape[1]))),
            stepLevel, "Scan step (planned)", traced, vjp.Cotangent);
        return RecurrentState<T>.Of(Tensor.Unstack(next, 0));
    }

    /// <summary>
    /// One step's VJP: the backward plan runs once, on the first input's request, for every input; the parameters'
    /// cotangents go into the sums, and the token's own cotangent is zero.
    /// </summary>
    private sealed class StepVjp(StepVjpPlan<T> plan, Tensor<T>[] primals, Tensor<T>[] saved, ParameterSums? sums, Shape stateShape)
    {
        private readonly CotangentsOnce<T> once = new("Scan: a planned step", g =>
        {
            int parts = plan.Parts;
            var arguments = new Tensor<T>[primals.Length + saved.Length + parts];
            primals.CopyTo(arguments, 0);
            saved.CopyTo(arguments, primals.Length);
            for (int p = 0; p < parts; p++)
                arguments[primals.Length + saved.Length + p] = new Tensor<T>(g.Value.View(p * stateShape.Size, stateShape));
            var cotangents = plan.Backward.Run(arguments);
            // Added now: the parameters' cotangents are views of the plan's buffers, which the next step's VJP overwrites.
            sums?.Add(cotangents);
            return cotangents;
        });

        public Tensor<T> Cotangent(Tensor<T> g, int inputIndex)
        {
            // The run happens on whichever input is asked first, the token included: it is what adds the parameters'
            // cotangents into the sums, even when only the parameters are traced.
            int parameterCount = primals.Length - plan.Parts - 1;
            var cotangent = once.For(g, parameterCount + Math.Min(inputIndex, plan.Parts))!;
            return inputIndex <= plan.Parts ? cotangent : ZeroToken;
        }
    }

    private static readonly Tensor<T> ZeroToken = Tensor.Scalar(T.Zero);

    /// <summary>
    /// The parameters' cotangents summed over the planned steps of one Scan. The parameters enter every step through one
    /// token: a scalar zero recorded at the Grad level with the traced parameters as its inputs, read by every step op.
    /// Each step's VJP adds its parameters' cotangents into one buffer per parameter; since every step reads the token,
    /// the sweep reaches the token only after all of them, and its VJP hands the sums out (and forgets them, so another
    /// sweep over the same graph starts again from zero).
    /// </summary>
    private sealed class ParameterSums
    {
        private readonly Tensor<T>?[] parameters;
        private readonly T[]?[] sums;

        private ParameterSums(Tensor<T>?[] parameters, Level level)
        {
            this.parameters = parameters;
            sums = new T[]?[parameters.Length];
            Token = Tensor<T>.Record(ZeroToken, level, "Scan parameters (planned)", parameters, Handout);
        }

        public Tensor<T> Token { get; }

        /// <summary>The sums for the parameters traced at <paramref name="level"/> whose cotangents the step reaches, or null if none.</summary>
        public static ParameterSums? For(Tensor<T>[] parameters, IReadOnlyList<bool> reached, Level level)
        {
            var traced = new Tensor<T>?[parameters.Length];
            bool any = false;
            for (int k = 0; k < parameters.Length; k++)
                if (parameters[k].Node is not null && reached[k]) (traced[k], any) = (parameters[k], true);
            return any ? new ParameterSums(traced, level) : null;
        }

        public void Add(Tensor<T>[] cotangents)
        {
            for (int k = 0; k < parameters.Length; k++)
            {
                if (parameters[k] is null) continue;
                var step = cotangents[k].Value.Span;
                if (sums[k] is { } sum) System.Numerics.Tensors.TensorPrimitives.Add(sum, step, sum);
                else sums[k] = step.ToArray();
            }
        }

        private Tensor<T> Handout(Tensor<T> g, int k)
        {
            var shape = parameters[k]!.Shape;
            var sum = sums[k];
            sums[k] = null;
            return sum is null ? Tensor.Zeros<T>(shape.ToArray()) : new Tensor<T>(new NdArray<T>(sum, shape));
        }
    }
}
