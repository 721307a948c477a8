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
        var unroll = new Unroll<T>(level, primals, parameterCount, parts, steps, reverse, masks);
        var arguments = new Tensor<T>[parameterCount + parts + 1];
        Array.Copy(primals, arguments, parameterCount + parts);
        arguments[^1] = new Tensor<T>(unroll.StepInput(reverse ? steps - 1 : 0));
        var plan = StepVjpPlans<T>.For(cell, parameters.WithTensors(primals[..parameterCount]), arguments);
        if (plan is null) return null;

        var packed = unroll.RunForward(plan);
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

    /// <summary>One call's unroll: the forward run into slabs, and the VJP that reads them back.</summary>
    private sealed class Unroll<T>(Level level, Tensor<T>[] primals, int parameterCount, int parts, int steps, bool reverse, UnrollMasks<T>? masks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Shape stateShape = primals[parameterCount].Shape;
        private readonly Shape stepShape = primals[parameterCount + parts].Shape.Without(0);
        private StepVjpPlan<T> plan = null!;
        // Per step, in time order: the state parts after it (views of the result), its input and the values its VJP reads
        // (views of one slab per saved value).
        private readonly NdArray<T>[] states = new NdArray<T>[steps * parts];
        private readonly NdArray<T>[] stepInputs = new NdArray<T>[steps];
        private NdArray<T>[] saved = [];
        private CotangentsOnce<T>? once;

        private int StepAt(int i) => reverse ? steps - 1 - i : i;

        private int FirstBlock => parameterCount + parts;

        /// <summary>Step <paramref name="t"/>'s input: a view of the block holding it.</summary>
        public NdArray<T> StepInput(int t)
        {
            for (int b = FirstBlock; ; b++)
            {
                var block = primals[b].Value;
                int count = block.Shape[0];
                if (t < count) return block.View(t * stepShape.Size, stepShape);
                t -= count;
            }
        }

        public Tensor<T> RunForward(StepVjpPlan<T> recorded)
        {
            plan = recorded;
            int size = stateShape.Size, savedCount = plan.SavedCount;
            var packed = new NdArray<T>(GC.AllocateUninitializedArray<T>(parts * steps * size), new Shape(parts * steps, stateShape[0], stateShape[1]));
            saved = new NdArray<T>[steps * savedCount];
            var slabs = new NdArray<T>[savedCount];
            var savedShapes = new Shape[savedCount];
            for (int s = 0; s < savedCount; s++)
            {
                savedShapes[s] = plan.Forward.OutputShape(parts + s);
                slabs[s] = LevelScratch.Value<T>(level, savedShapes[s].Inserting(0, steps));
            }
            var arguments = new NdArray<T>[parameterCount + parts + 1];
            for (int i = 0; i < parameterCount + parts; i++) arguments[i] = primals[i].Value;
            var destinations = new NdArray<T>?[parts + savedCount];
            var results = new NdArray<T>[parts + savedCount];
            // The parameters are the same for every step: a weight is packed for its products once, not once per step.
            plan.Forward.HoldInputs(parameterCount);
            try
            {
                for (int i = 0; i < steps; i++)
                {
                    int t = StepAt(i);
                    arguments[^1] = stepInputs[t] = StepInput(t);
                    for (int p = 0; p < parts; p++) destinations[p] = states[t * parts + p] = packed.View((p * steps + t) * size, stateShape);
                    for (int s = 0; s < savedCount; s++)
                        destinations[parts + s] = saved[t * savedCount + s] = slabs[s].View(t * savedShapes[s].Size, savedShapes[s]);
                    plan.Forward.RunInto(arguments, destinations, results);
                    masks?.KeepPadded(t, states.AsSpan(t * parts, parts), arguments.AsSpan(parameterCount, parts));
                    for (int p = 0; p < parts; p++) arguments[parameterCount + p] = states[t * parts + p];
                }
            }
            finally
            {
                plan.Forward.ReleaseInputs();
            }
            return new Tensor<T>(packed);
        }

        /// <summary>The cotangent of input <paramref name="inputIndex"/>: one sweep computes them all (see <see cref="CotangentsOnce{T}"/>).</summary>
        public Tensor<T> Vjp(Tensor<T> g, int inputIndex) =>
            // Null where the step never reaches the input: the op records no edge to it, so the sweep never asks; zeros
            // if it ever does.
            (once ??= new CotangentsOnce<T>("Scan: the planned unroll", Sweep)).For(g, inputIndex) ?? Tensor.ZerosLike(primals[inputIndex]);

        private Tensor<T>?[] Sweep(Tensor<T> g)
        {
            int size = stateShape.Size, savedCount = plan.SavedCount;
            var gSpan = g.Value.Span;
            var result = new Tensor<T>?[primals.Length];
            var parameterSums = new T[]?[parameterCount];
            // The next-state cotangents fed to each step (its output's share of g plus what the later step sent back) and
            // the state cotangents each step returns: distinct buffers, so a plan never writes what it still reads.
            var seeds = new NdArray<T>[parts];
            var carry = new NdArray<T>[parts];
            for (int p = 0; p < parts; p++)
            {
                seeds[p] = new NdArray<T>(GC.AllocateUninitializedArray<T>(size), stateShape);
                carry[p] = new NdArray<T>(GC.AllocateUninitializedArray<T>(size), stateShape);
            }
            bool inputReached = plan.Reached[parameterCount + parts];
            var blockCotangents = new NdArray<T>[primals.Length - FirstBlock];
            for (int b = 0; b < blockCotangents.Length && inputReached; b++)
                blockCotangents[b] = SweepScratch.Value<T>(primals[FirstBlock + b].Shape);

            var arguments = new NdArray<T>[parameterCount + parts + 1 + savedCount + parts];
            for (int k = 0; k < parameterCount; k++) arguments[k] = primals[k].Value;
            var destinations = new NdArray<T>?[parameterCount + parts + 1];
            for (int p = 0; p < parts; p++) destinations[parameterCount + p] = carry[p];
            var results = new NdArray<T>[parameterCount + parts + 1];
            // A weight used once in a product: each step's factor of its gradient goes into a slab, contracted with the
            // step arguments it pairs with over all steps at the end, as one product of the stacked factors.
            var factorSlabs = new NdArray<T>?[parameterCount];
            var factorRows = new Shape?[parameterCount];
            for (int k = 0; k < parameterCount; k++)
                if (plan.ContractedWith[k] >= 0)
                {
                    factorRows[k] = plan.Backward.OutputShape(k);
                    factorSlabs[k] = SweepScratch.Value<T>(factorRows[k]!.Inserting(0, steps));
                }
            // As in the forward loop: the weights are packed for the steps' products once.
            plan.Backward.HoldInputs(parameterCount);
            try
            {
                for (int i = steps - 1; i >= 0; i--)
                {
                    int t = StepAt(i);
                    for (int p = 0; p < parts; p++) arguments[parameterCount + p] = StateBefore(i, p);
                    arguments[parameterCount + parts] = stepInputs[t];
                    Array.Copy(saved, t * savedCount, arguments, parameterCount + parts + 1, savedCount);
                    for (int p = 0; p < parts; p++)
                    {
                        var share = gSpan.Slice((p * steps + t) * size, size);
                        if (i == steps - 1) share.CopyTo(seeds[p].Unwritten);
                        else System.Numerics.Tensors.TensorPrimitives.Add(share, carry[p].Span, seeds[p].Unwritten);
                        arguments[^(parts - p)] = masks is null ? seeds[p] : masks.IntoStep(t, seeds[p]);
                    }
                    destinations[^1] = inputReached ? StepCotangent(blockCotangents, t) : null;
                    for (int k = 0; k < parameterCount; k++)
                        if (factorSlabs[k] is { } slab) destinations[k] = slab.View(t * factorRows[k]!.Size, factorRows[k]!);
                    plan.Backward.RunInto(arguments, destinations, results);
                    masks?.PastStep(t, seeds, carry);
                    for (int k = 0; k < parameterCount; k++)
                    {
                        if (!plan.Reached[k] || factorSlabs[k] is not null) continue;
                        var sum = parameterSums[k];
                        if (sum is null) parameterSums[k] = results[k].ToArray();
                        else System.Numerics.Tensors.TensorPrimitives.Add(sum, results[k].Span, sum);
                    }
                }
            }
            finally
            {
                plan.Backward.ReleaseInputs();
            }
            for (int k = 0; k < parameterCount; k++)
                if (factorSlabs[k] is { } slab) parameterSums[k] = StackedProduct(slab, plan.ContractedWith[k], plan.ArgumentIsLeft[k], primals[k].Shape);
            for (int k = 0; k < parameterCount; k++)
                result[k] = parameterSums[k] is { } sum ? new Tensor<T>(new NdArray<T>(sum, primals[k].Shape)) : null;
            // The carry buffers are this sweep's own and are never written again: the initial state's cotangents as they are.
            for (int p = 0; p < parts; p++) result[parameterCount + p] = new Tensor<T>(carry[p]);
            for (int b = 0; b < blockCotangents.Length; b++)
                result[FirstBlock + b] = inputReached ? new Tensor<T>(blockCotangents[b]) : null;
            return result;
        }

        // The state part p a step reads: the initial state's for the first step swept forward, else the previous step's.
        private NdArray<T> StateBefore(int i, int p) => i == 0 ? primals[parameterCount + p].Value : states[StepAt(i - 1) * parts + p];

        // Step t's argument `argument` (a state part or the input; parameters are never contracted with).
        private NdArray<T> StepArgument(int t, int argument)
        {
            int i = reverse ? steps - 1 - t : t;
            return argument < parameterCount + parts ? StateBefore(i, argument - parameterCount) : stepInputs[t];
        }

        /// <summary>
        /// Σ_t left_tᵀ·right_t, where one factor is the plan's (rows of one slab in time order) and the other a step
        /// argument (a state the steps read, or their inputs), which lies back to back in memory for most steps: one GEMM
        /// per run of adjacent arguments (two for a state: the initial one, then the unroll's own states), accumulating.
        /// </summary>
        private T[] StackedProduct(NdArray<T> factorSlab, int argument, bool argumentIsLeft, Shape weightShape)
        {
            int m = weightShape[0], n = weightShape[1], rows = factorSlab.Shape[1], factorWidth = argumentIsLeft ? n : m;
            var sum = GC.AllocateUninitializedArray<T>(m * n);
            bool first = true;
            for (int start = 0; start < steps;)
            {
                var runStart = StepArgument(start, argument);
                var runEnd = runStart;
                int end = start + 1;
                for (; end < steps; end++)
                {
                    var next = StepArgument(end, argument);
                    if (!runEnd.Precedes(next)) break;
                    runEnd = next;
                }
                int count = end - start;
                var factors = factorSlab.Span.Slice(start * rows * factorWidth, count * rows * factorWidth);
                var arguments = runStart.SpanThrough(runEnd);
                Kernels.Gemm.Multiply(argumentIsLeft ? arguments : factors, argumentIsLeft ? factors : arguments, sum,
                    m, n, count * rows, transposeA: true, transposeB: false, accumulate: !first);
                first = false;
                start = end;
            }
            return sum;
        }

        // Step t's input cotangent: a view of the cotangent of the block holding the step.
        private NdArray<T> StepCotangent(NdArray<T>[] blockCotangents, int t)
        {
            foreach (var block in blockCotangents)
            {
                int count = block.Shape[0];
                if (t < count) return block.View(t * stepShape.Size, stepShape);
                t -= count;
            }
            throw new ArgumentOutOfRangeException(nameof(t));
        }
    }
}
