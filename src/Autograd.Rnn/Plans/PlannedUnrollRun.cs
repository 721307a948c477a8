using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn;

/// <summary>
/// One call's planned unroll (<see cref="PlannedUnroll"/>): the forward run into slabs, and the VJP that reads them back.
/// The batch rows run in one or more contiguous groups (<see cref="BatchSplit"/>), each with its own plans (for its row
/// count), saved-value slabs and masks; a group's states, input cotangents, initial-state cotangents and stacked weight
/// factors are written straight into its rows of the unroll's full-batch slabs, so only the parameters' step-by-step
/// cotangent sums (biases) are per group, added up in group order at the end. With one group this is the unsplit unroll.
/// </summary>
internal sealed class PlannedUnrollRun<T>(Level level, Tensor<T>[] primals, int parameterCount, int parts, int steps, bool reverse,
    UnrollMasks<T>? masks) where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Shape stateShape = primals[parameterCount].Shape;
    private readonly Shape stepShape = primals[parameterCount + parts].Shape.Without(0);
    private Group[] groups = [];
    // Per step, in time order: the state parts after it (full-batch views of the result) and its input (full batch).
    private readonly NdArray<T>[] states = new NdArray<T>[steps * parts];
    private readonly NdArray<T>[] stepInputs = new NdArray<T>[steps];
    private CotangentsOnce<T>? once;

    /// <summary>
    /// Rows FirstRow..FirstRow+Rows−1 of the batch, run by <paramref name="plan"/>; <see cref="Saved"/> holds per saved value
    /// the views of its slab, one per step (what the step's VJP reads), <see cref="Sums"/> the parameters' summed cotangents.
    /// </summary>
    private sealed class Group(int firstRow, int rows, StepVjpPlan<T> plan, UnrollMasks<T>? masks)
    {
        public int FirstRow { get; } = firstRow;

        public int Rows { get; } = rows;

        public StepVjpPlan<T> Plan { get; } = plan;

        public UnrollMasks<T>? Masks { get; } = masks;

        public NdArray<T>[][] Saved { get; set; } = [];

        public T[]?[] Sums { get; set; } = [];
    }

    private int StepAt(int i) => reverse ? steps - 1 - i : i;

    private int FirstBlock => parameterCount + parts;

    private int Batch => stateShape[0];

    /// <summary><paramref name="shape"/> with <paramref name="rows"/> in place of its leading (batch) axis.</summary>
    internal static Shape WithRows(Shape shape, int rows) => shape.Without(0).Inserting(0, rows);

    /// <summary>
    /// The rows from <paramref name="first"/> of <paramref name="value"/> (the batch axis leads) as a view of
    /// <paramref name="shape"/> (the group's, made once), or the value itself when the group holds every row.
    /// </summary>
    internal static NdArray<T> RowsOf(NdArray<T> value, int first, Shape shape) =>
        shape.Size == value.Size ? value : value.View(first * (value.Size / value.Shape[0]), shape);

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

    /// <summary>Runs every step forward, one group of rows per entry of <paramref name="plans"/>; returns the packed states.</summary>
    public Tensor<T> RunForward(StepVjpPlan<T>[] plans)
    {
        int size = stateShape.Size, batch = Batch;
        var packed = new NdArray<T>(GC.AllocateUninitializedArray<T>(parts * steps * size), new Shape(parts * steps, stateShape[0], stateShape[1]));
        for (int t = 0; t < steps; t++)
        {
            stepInputs[t] = StepInput(t);
            for (int p = 0; p < parts; p++) states[t * parts + p] = packed.View((p * steps + t) * size, stateShape);
        }
        groups = new Group[plans.Length];
        var slabs = new NdArray<T>[plans.Length][];
        for (int g = 0; g < plans.Length; g++)
        {
            int first = BatchSplit.FirstRow(batch, plans.Length, g), rows = BatchSplit.Rows(batch, plans.Length, g);
            groups[g] = new Group(first, rows, plans[g], plans.Length == 1 ? masks : masks?.Rows(first, rows));
            // Rented here, on the thread whose level hands them back (LevelScratch's pool is per thread).
            slabs[g] = new NdArray<T>[plans[g].SavedCount];
            for (int s = 0; s < slabs[g].Length; s++)
                slabs[g][s] = LevelScratch.Value<T>(level, plans[g].Forward.OutputShape(parts + s).Inserting(0, steps));
        }
        BatchSplit.Run(groups.Length, g => Forward(groups[g], slabs[g]));
        return new Tensor<T>(packed);
    }

    private void Forward(Group group, NdArray<T>[] slabs)
    {
        var plan = group.Plan;
        int savedCount = plan.SavedCount;
        var saved = group.Saved = new NdArray<T>[savedCount][];
        var arguments = new NdArray<T>[parameterCount + parts + 1];
        for (int i = 0; i < parameterCount; i++) arguments[i] = primals[i].Value;
        Shape groupState = WithRows(stateShape, group.Rows), groupStep = WithRows(stepShape, group.Rows);
        for (int p = 0; p < parts; p++) arguments[parameterCount + p] = RowsOf(primals[parameterCount + p].Value, group.FirstRow, groupState);
        for (int s = 0; s < savedCount; s++) saved[s] = plan.SavedViews[s].Of(slabs[s], slabs[s].Shape.Without(0));
        var next = new NdArray<T>[parts];
        var destinations = new NdArray<T>?[parts + savedCount];
        var results = new NdArray<T>[parts + savedCount];
        // The parameters are the same for every step: a weight is packed for its products once, not once per step.
        plan.Forward.HoldInputs(parameterCount);
        try
        {
            for (int i = 0; i < steps; i++)
            {
                int t = StepAt(i);
                arguments[^1] = RowsOf(stepInputs[t], group.FirstRow, groupStep);
                for (int p = 0; p < parts; p++) destinations[p] = next[p] = RowsOf(states[t * parts + p], group.FirstRow, groupState);
                for (int s = 0; s < savedCount; s++) destinations[parts + s] = saved[s][t];
                plan.Forward.RunInto(arguments, destinations, results);
                group.Masks?.KeepPadded(t, next, arguments.AsSpan(parameterCount, parts));
                for (int p = 0; p < parts; p++) arguments[parameterCount + p] = next[p];
            }
        }
        finally
        {
            plan.Forward.ReleaseInputs();
        }
    }

    /// <summary>The cotangent of input <paramref name="inputIndex"/>: one sweep computes them all (see <see cref="CotangentsOnce{T}"/>).</summary>
    public Tensor<T> Vjp(Tensor<T> g, int inputIndex) =>
        // Null where the step never reaches the input: the op records no edge to it, so the sweep never asks; zeros
        // if it ever does.
        (once ??= new CotangentsOnce<T>("Scan: the planned unroll", Sweep)).For(g, inputIndex) ?? Tensor.ZerosLike(primals[inputIndex]);

    private Tensor<T>?[] Sweep(Tensor<T> g)
    {
        var plan = groups[0].Plan;
        var result = new Tensor<T>?[primals.Length];
        // The state cotangents each step returns, for all rows (each group writes its own): after the last step swept,
        // the initial state's. Distinct from the groups' seeds, so a plan never writes what it still reads.
        var carry = new NdArray<T>[parts];
        for (int p = 0; p < parts; p++) carry[p] = new NdArray<T>(GC.AllocateUninitializedArray<T>(stateShape.Size), stateShape);
        bool inputReached = plan.Reached[parameterCount + parts];
        // Every step's input cotangent, [time, batch, ...]: the blocks' cotangents are consecutive views of it.
        var inputCotangent = inputReached ? SweepScratch.Value<T>(stepShape.Inserting(0, steps)) : null;
        // A weight used once in a product: each step's factor of its gradient goes into a slab of all rows, contracted with
        // the step arguments it pairs with over all steps at the end, as one product of the stacked factors.
        var factorSlabs = new NdArray<T>?[parameterCount];
        var factorIsInputCotangent = new bool[parameterCount];
        for (int k = 0; k < parameterCount; k++)
        {
            if (plan.ContractedWith[k] < 0) continue;
            var slabShape = WithRows(plan.Backward.OutputShape(k), Batch).Inserting(0, steps);
            // A factor that is the step input's cotangent (gates = x_t·W_ihᵀ + h·W_hhᵀ: W_hh's factor is d gates) is read
            // from the input's cotangent instead of being written twice.
            if (inputCotangent is not null && inputCotangent.Size == slabShape.Size
                && groups.All(group => group.Plan.Backward.SameOutputs(k, parameterCount + parts)))
            {
                factorSlabs[k] = inputCotangent.View(0, slabShape);
                factorIsInputCotangent[k] = true;
            }
            else factorSlabs[k] = SweepScratch.Value<T>(slabShape);
        }
        BatchSplit.Run(groups.Length, i => Backward(groups[i], g.Value, carry, inputCotangent, factorSlabs, factorIsInputCotangent));

        for (int k = 0; k < parameterCount; k++)
        {
            if (factorSlabs[k] is { } slab)
            {
                var product = StackedProduct(slab, plan.ContractedWith[k], plan.ArgumentIsLeft[k], primals[k].Shape);
                result[k] = new Tensor<T>(new NdArray<T>(product, primals[k].Shape));
                continue;
            }
            // Group by group, in row order: the same sum for the same number of groups.
            var sum = groups[0].Sums[k];
            for (int i = 1; i < groups.Length && sum is not null; i++) TensorPrimitives.Add(sum, groups[i].Sums[k]!, sum);
            result[k] = sum is null ? null : new Tensor<T>(new NdArray<T>(sum, primals[k].Shape));
        }
        // The carry buffers are this sweep's own and are never written again: the initial state's cotangents as they are.
        for (int p = 0; p < parts; p++) result[parameterCount + p] = new Tensor<T>(carry[p]);
        for (int b = FirstBlock, offset = 0; b < primals.Length && inputCotangent is not null; offset += primals[b].Size, b++)
            result[b] = new Tensor<T>(inputCotangent.View(offset, primals[b].Shape));
        return result;
    }

    private void Backward(Group group, NdArray<T> g, NdArray<T>[] allCarry, NdArray<T>? inputCotangent, NdArray<T>?[] factorSlabs,
        bool[] factorIsInputCotangent)
    {
        var plan = group.Plan;
        int size = stateShape.Size, savedCount = plan.SavedCount, first = group.FirstRow, rows = group.Rows;
        int rowSize = size / Batch;
        var gSpan = g.Span;
        var sums = group.Sums = new T[]?[parameterCount];
        // The next-state cotangents fed to each step: its output's share of g plus what the later step sent back.
        var seeds = new NdArray<T>[parts];
        var carry = new NdArray<T>[parts];
        Shape groupState = WithRows(stateShape, rows), groupStep = WithRows(stepShape, rows);
        for (int p = 0; p < parts; p++)
        {
            seeds[p] = new NdArray<T>(GC.AllocateUninitializedArray<T>(groupState.Size), groupState);
            carry[p] = RowsOf(allCarry[p], first, groupState);
        }
        // Per stacked weight: one step's factor rows of all rows, and of the group's.
        var factorRows = Array.ConvertAll(factorSlabs, slab => slab?.Shape.Without(0));
        var groupFactorRows = Array.ConvertAll(factorRows, shape => shape is null ? null : WithRows(shape, rows));
        var arguments = new NdArray<T>[parameterCount + parts + 1 + savedCount + parts];
        for (int k = 0; k < parameterCount; k++) arguments[k] = primals[k].Value;
        var destinations = new NdArray<T>?[parameterCount + parts + 1];
        for (int p = 0; p < parts; p++) destinations[parameterCount + p] = carry[p];
        var results = new NdArray<T>[parameterCount + parts + 1];
        // As in the forward loop: the weights are packed for the steps' products once.
        plan.Backward.HoldInputs(parameterCount);
        try
        {
            for (int i = steps - 1; i >= 0; i--)
            {
                int t = StepAt(i);
                for (int p = 0; p < parts; p++)
                    arguments[parameterCount + p] = RowsOf(StateBefore(i, p), first, groupState);
                arguments[parameterCount + parts] = RowsOf(stepInputs[t], first, groupStep);
                for (int s = 0; s < savedCount; s++) arguments[parameterCount + parts + 1 + s] = group.Saved[s][t];
                for (int p = 0; p < parts; p++)
                {
                    var share = gSpan.Slice((p * steps + t) * size + first * rowSize, groupState.Size);
                    if (i == steps - 1) share.CopyTo(seeds[p].Unwritten);
                    else TensorPrimitives.Add(share, carry[p].Span, seeds[p].Unwritten);
                    arguments[^(parts - p)] = group.Masks is null ? seeds[p] : group.Masks.IntoStep(t, seeds[p]);
                }
                destinations[^1] = inputCotangent is null ? null : RowsOf(inputCotangent.View(t * stepShape.Size, stepShape), first, groupStep);
                for (int k = 0; k < parameterCount; k++)
                    if (factorSlabs[k] is { } slab && !factorIsInputCotangent[k])
                        destinations[k] = slab.View(t * factorRows[k]!.Size + first * (factorRows[k]!.Size / Batch), groupFactorRows[k]!);
                plan.Backward.RunInto(arguments, destinations, results);
                group.Masks?.PastStep(t, seeds, carry);
                for (int k = 0; k < parameterCount; k++)
                {
                    if (!plan.Reached[k] || factorSlabs[k] is not null) continue;
                    if (sums[k] is { } sum) TensorPrimitives.Add(sum, results[k].Span, sum);
                    else sums[k] = results[k].ToArray();
                }
            }
        }
        finally
        {
            plan.Backward.ReleaseInputs();
        }
    }

    // The state part p a step reads (all rows): the initial state's for the first step swept forward, else the previous step's.
    private NdArray<T> StateBefore(int i, int p) => i == 0 ? primals[parameterCount + p].Value : states[StepAt(i - 1) * parts + p];

    // Step t's argument `argument` (a state part or the input; parameters are never contracted with), all rows.
    private NdArray<T> StepArgument(int t, int argument)
    {
        int i = reverse ? steps - 1 - t : t;
        return argument < parameterCount + parts ? StateBefore(i, argument - parameterCount) : stepInputs[t];
    }

    /// <summary>
    /// Σ_t left_tᵀ·right_t, where one factor is the plan's (rows of one slab in time order) and the other a step
    /// argument (a state the steps read, or their inputs), which lies back to back in memory for most steps: one GEMM
    /// per run of adjacent arguments (two for a state: the initial one, then the unroll's own states), accumulating.
    /// Runs over all rows at once, after the groups: the product does not depend on how the rows were split.
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
}
