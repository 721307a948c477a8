using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Training with plans: <c>Recurrence.Scan</c> under exactly one live <see cref="Grad"/> level runs the whole unroll as one
/// op recorded at that level. Its forward replays the step's forward plan (<see cref="StepVjpPlan{T}"/>) for every step,
/// keeping per step the values the step's VJP reads; its VJP replays the backward plan for the steps in reverse,
/// summing the parameters' cotangents and carrying the state's, and returns the cotangents of the parameters, the
/// initial state and every step's input. The unroll's states are slices of one [parts·time, batch, hidden] result
/// (part-major, so the outputs are one contiguous slice). With lengths, the unroll applies the masks between replays
/// (<see cref="UnrollMasks{T}"/>: padded steps keep the state, and their cotangents go past the step); the caller zeroes
/// the outputs at padded steps.
/// </summary>
/// <remarks>
/// Nothing is allocated per step but small views: the plans write each step's states, saved values and input cotangent
/// straight into slabs allocated once per sequence (<see cref="Plan{T}.RunInto"/>; the saved values' slabs are rented until
/// the level ends, <see cref="LevelScratch"/>, so a training loop reuses them), the step inputs are read from the
/// blocks of projected inputs as views, and their cotangents are returned one per block, so no per-step slice or Concat
/// is recorded at the <see cref="Grad"/> level. <see cref="ScanResult{T}.StepStates"/> slices a step's state only when it
/// is read.
/// <para>
/// Used only when the traced tensors among the parameters, the initial state and the step inputs are traced at one
/// reverse level (not a planning, forward-mode or batching one), that level is the only one running on the thread, and the values
/// under it are constants: this op's VJP runs kernels, so it is not differentiable again, and with any enclosing level
/// (gradients of gradients, HVPs) Scan stays eager, where every op is recorded and nesting works as always. An afterStep
/// hook runs between steps, so the unroll cannot be one op: each step is then one planned op
/// (<see cref="PlannedStep{T}"/>). Otherwise (a step that cannot be planned, <see cref="Compile.Eagerly"/>, anomaly
/// detection) Scan runs eagerly too.
/// </para>
/// </remarks>
internal static class PlannedUnroll
{
    /// <summary>
    /// The unroll as one planned op, or null when it must run eagerly (see <see cref="PlannedUnroll"/>).
    /// <paramref name="stepBlocks"/> are the step inputs as blocks of consecutive steps, each [steps in block, batch, k],
    /// in time order.
    /// </summary>
    public static ScanResult<T>? TryScan<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState, Tensor<T>[] stepBlocks,
        bool reverse, UnrollMasks<T>? masks = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!PlanRecorder.Enabled || Grad.Running != 1) return null;
        var parameterTensors = parameters.Tensors();
        int parameterCount = parameterTensors.Length, parts = initialState.Count, steps = 0;
        // Everything the unroll reads, at its live levels: parameters, initial state parts, blocks of step inputs.
        var inputs = new Tensor<T>[parameterCount + parts + stepBlocks.Length];
        for (int i = 0; i < parameterCount; i++) inputs[i] = parameterTensors[i].Live;
        for (int p = 0; p < parts; p++) inputs[parameterCount + p] = initialState[p].Live;
        for (int b = 0; b < stepBlocks.Length; b++)
        {
            inputs[parameterCount + parts + b] = stepBlocks[b].Live;
            if (stepBlocks[b].Rank != 3 || stepBlocks[b].Shape[1] != stepBlocks[0].Shape[1] || stepBlocks[b].Shape[2] != stepBlocks[0].Shape[2])
                return null;
            steps += stepBlocks[b].Shape[0];
        }
        if (SoleReverseLevel<T>(inputs) is not { } level || steps == 0) return null;

        var primals = Array.ConvertAll(inputs, input => input.PrimalAt(level.Id));
        var unroll = new PlannedUnrollRun<T>(level, primals, parameterCount, parts, steps, reverse, masks);
        var firstInput = unroll.StepInput(reverse ? steps - 1 : 0);
        var plans = GroupPlans(cell, parameters, primals, parameterCount, parts, firstInput);
        if (plans is null) return null;
        var plan = plans[0];

        var packed = unroll.RunForward(plans);
        var traced = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int stepInput = Math.Min(i, parameterCount + parts);
            if (inputs[i].Node is not null && plan.Reached[stepInput]) traced[i] = inputs[i];
        }
        var result = Tensor<T>.Record(packed, level, "Scan (planned)", traced, unroll.Vjp);
        return PlannedStepStates<T>.Result(result, parts, steps, reverse);
    }

    /// <summary>
    /// The step plans of the unroll's row groups (<see cref="BatchSplit"/>): one per group, each for its rows of the state and
    /// the first step's input <paramref name="firstInput"/>; a single full-batch plan when the batch is not split or the
    /// step does not keep its rows apart in the shapes a split relies on; null when the step cannot be planned.
    /// </summary>
    private static StepVjpPlan<T>[]? GroupPlans<T>(Cell<T> cell, Params<T> parameters, Tensor<T>[] primals, int parameterCount, int parts,
        NdArray<T> firstInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stepParameters = parameters.WithTensors(primals[..parameterCount]);
        int batch = primals[parameterCount].Shape[0];
        int groups = SplitsByRows(primals, parameterCount, parts, firstInput) ? BatchSplit.Groups(batch) : 1;
        var plans = new StepVjpPlan<T>[groups];
        var arguments = new Tensor<T>[parameterCount + parts + 1];
        Array.Copy(primals, arguments, parameterCount);
        for (int g = 0; g < groups; g++)
        {
            int first = BatchSplit.FirstRow(batch, groups, g), rows = BatchSplit.Rows(batch, groups, g);
            for (int p = 0; p < parts; p++)
                arguments[parameterCount + p] = groups == 1 ? primals[parameterCount + p] : Rows(primals[parameterCount + p].Value, first, rows);
            arguments[^1] = new Tensor<T>(groups == 1 ? firstInput : Rows(firstInput, first, rows).Value);
            if (StepVjpPlans<T>.For(cell, stepParameters, arguments, instance: g) is not { } plan) return null;
            plans[g] = plan;
            if (groups > 1 && !KeepsRows(plan, plans[0], parameterCount, rows))
                return StepVjpPlans<T>.For(cell, stepParameters, [.. primals[..(parameterCount + parts)], new Tensor<T>(firstInput)]) is { } whole
                    ? [whole] : null;
        }
        return plans;
    }

    // Rows first..first+rows-1 of a value whose leading axis is the batch, as a constant view.
    private static Tensor<T> Rows<T>(NdArray<T> value, int first, int rows) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(PlannedUnrollRun<T>.RowsOf(value, first, PlannedUnrollRun<T>.WithRows(value.Shape, rows)));

    // Whether the state parts and the step input all lead with the same batch axis (a split cuts them by rows).
    private static bool SplitsByRows<T>(Tensor<T>[] primals, int parameterCount, int parts, NdArray<T> firstInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = primals[parameterCount].Shape[0];
        for (int p = 0; p < parts; p++)
            if (primals[parameterCount + p].Rank != 2 || primals[parameterCount + p].Shape[0] != batch) return false;
        return firstInput.Shape.Rank >= 1 && firstInput.Shape[0] == batch;
    }

    // Whether a group's plan stacks the same weights' factors as the first group's, each factor one row per batch row
    // (the full-batch slab of factors is cut by rows between the groups).
    private static bool KeepsRows<T>(StepVjpPlan<T> plan, StepVjpPlan<T> first, int parameterCount, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < parameterCount; k++)
        {
            if (plan.ContractedWith[k] != first.ContractedWith[k] || plan.Reached[k] != first.Reached[k]) return false;
            if (plan.ContractedWith[k] >= 0 && (plan.Backward.OutputShape(k).Rank != 2 || plan.Backward.OutputShape(k)[0] != rows)) return false;
        }
        return true;
    }

    /// <summary>
    /// The level a planned training op may be recorded at for these <paramref name="inputs"/> (read at their live levels):
    /// the one level every traced input is traced at, when the values under it are constants and it is an ordinary reverse
    /// level, else null. A planning, forward or batching level records no graph for a VJP to hang on: their ops, tangents
    /// and batch axes are carried op by op, eagerly. Shared by the whole-unroll op and the per-step op
    /// (<see cref="PlannedStep{T}"/>), so both refuse the same levels.
    /// </summary>
    internal static Level? SoleReverseLevel<T>(ReadOnlySpan<Tensor<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Level? level = null;
        foreach (var input in inputs)
        {
            if (input.Node is null) continue;
            if (level is null) level = input.Node.Level;
            else if (input.Node.Level != level) return null;
            if (input.Primal!.IsTraced) return null;
        }
        return level is null || level.IsPlanning || level.IsForward || level.IsBatching ? null : level;
    }
}
