using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A cell's step and its VJP as two plans, recorded from one eager step. The step runs at an inner planning level whose
/// leaves are themselves leaves of an outer planning level; <see cref="Backward"/> is then run over the inner level with
/// cotangent leaves of the outer one. Since every VJP rule is written with public ops on primals traced at the outer
/// level, the outer level ends up holding the whole step and its VJP as one graph from (parameters, state, input,
/// output cotangents) to (their cotangents). Cut where the VJP reads forward values, that graph gives
/// <list type="bullet">
/// <item>the forward plan: (parameters, state parts, input) → (next state parts, saved values), the saved values being
/// exactly the forward values the VJP reads (gate activations and the like, never the whole step's intermediates);</item>
/// <item>the backward plan: (parameters, state parts, input, saved values, cotangents of the next state parts) →
/// (cotangents of the parameters, of the state parts, of the input).</item>
/// </list>
/// Nothing is computed twice, and the planner knows no op by name.
/// </summary>
internal sealed class StepVjpPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private StepVjpPlan(Plan<T> forward, Plan<T> backward, int parts, int savedCount, bool[] reached, int[] contractedWith,
        bool[] argumentIsLeft)
    {
        ArgumentIsLeft = argumentIsLeft;
        Forward = forward;
        Backward = backward;
        Parts = parts;
        SavedCount = savedCount;
        SavedViews = new SlabViews<T>[savedCount];
        for (int s = 0; s < savedCount; s++) SavedViews[s] = new SlabViews<T>();
        Reached = reached;
        ContractedWith = contractedWith;
    }

    /// <summary>(parameters…, state parts…, input) → (next state parts…, saved values…).</summary>
    public Plan<T> Forward { get; }

    /// <summary>
    /// (parameters…, state parts…, input, saved values…, next-state cotangents…) → (cotangents of parameters…, state parts…,
    /// input); the parameters' cotangents are views of the plan's buffers, valid until its next run.
    /// </summary>
    public Plan<T> Backward { get; }

    public int Parts { get; }

    public int SavedCount { get; }

    /// <summary>Per saved value, the per-step views of its slab, kept across the unrolls that replay this plan.</summary>
    public SlabViews<T>[] SavedViews { get; }

    /// <summary>Per step input (parameters, state parts, input): whether its cotangent depends on the output cotangents (false: always zero).</summary>
    public IReadOnlyList<bool> Reached { get; }

    /// <summary>
    /// Per step input: −1, or for a parameter whose cotangent is one row contraction leftᵀ·right with one factor a step
    /// argument (a weight used once in a product: W_hh in h·W_hhᵀ, whose gradient is dgatesᵀ·h, or U in h·U, hᵀ·dgates),
    /// that argument's index; the backward plan then returns the other factor in the parameter's place, so an unroll can
    /// sum the weight's gradient over all steps as one product of the stacked factors (recorded so only when asked,
    /// <see cref="Record(Cell{T}, Params{T}, Tensor{T}[], out string?, bool)"/>).
    /// </summary>
    public IReadOnlyList<int> ContractedWith { get; }

    /// <summary>Per step input with <see cref="ContractedWith"/> set: whether the argument is the left factor (hᵀ·dgates).</summary>
    public IReadOnlyList<bool> ArgumentIsLeft { get; }

    /// <summary>
    /// Records the step of <paramref name="cell"/> on untraced values (the parameters, the state before a step and that
    /// step's input), or returns null with the reason it cannot be planned (it reads traced values, mixes in tensors
    /// traced by a live <see cref="Grad"/> call, or an op has no plan step).
    /// </summary>
    /// <param name="cell">The cell.</param>
    /// <param name="parameters">Its parameters (their values are inputs of both plans).</param>
    /// <param name="arguments">Parameters, state parts, input.</param>
    /// <param name="reason">Why the step cannot be planned, or null.</param>
    /// <param name="stackContractions">Whether weights used once in a product return their left factor (see <see cref="ContractedWith"/>).</param>
    public static StepVjpPlan<T>? Record(Cell<T> cell, Params<T> parameters, Tensor<T>[] arguments, out string? reason,
        bool stackContractions = false)
    {
        int parameterCount = parameters.Count, parts = arguments.Length - 1 - parameterCount;
        // The parameters' cotangents are added into the unroll's sums right after each run: borrowed, not allocated.
        return RecordWithVjp(arguments, parameterCount, (leaves, inner) =>
        {
            var state = RecurrentState<T>.Of(leaves[parameterCount..^1]);
            var result = cell.ProjectedStep(parameters.WithTensors(leaves[..parameterCount]), state, leaves[^1])
                ?? throw new InvalidOperationException($"Scan: the {cell.Name} cell returned null.");
            if (result.Count != parts)
                throw new InvalidOperationException($"Scan: the {cell.Name} cell returned {result.Count} state tensors, expected {parts}.");
            var next = new Tensor<T>[parts];
            for (int p = 0; p < parts; p++)
            {
                next[p] = result[p];
                if (next[p].Shape != arguments[parameterCount + p].Shape)
                    inner.MarkUnplannable($"the cell changed the shape of state part {p}");
            }
            return next;
        }, out reason, stackContractions);
    }

    /// <summary>
    /// Records <paramref name="function"/> on untraced <paramref name="arguments"/> as a forward plan (arguments → results,
    /// saved values) and a backward plan (arguments, saved values, results' cotangents → arguments' cotangents, each
    /// its own array), or returns null with the reason it cannot be planned. <see cref="Parts"/> is the number of results.
    /// </summary>
    public static StepVjpPlan<T>? RecordFunction(Func<Tensor<T>[], Tensor<T>[]> function, Tensor<T>[] arguments, out string? reason) =>
        RecordWithVjp(arguments, 0, (leaves, _) => function(leaves) ?? throw new InvalidOperationException("Compile: the function returned null."),
            out reason);

    // The first borrowedCount arguments' cotangents are views of the backward plan's buffers, valid until its next run.
    private static StepVjpPlan<T>? RecordWithVjp(Tensor<T>[] arguments, int borrowedCount, Func<Tensor<T>[], Level, Tensor<T>[]> function,
        out string? reason, bool stackContractions = false)
    {
        var outer = Grad.NewLevel(planning: true);
        try
        {
            var outerLeaves = Array.ConvertAll(arguments, argument => Tensor<T>.Leaf(argument, outer));
            var inner = Grad.NewLevel(planning: true);
            Tensor<T>[] next, seeds, cotangents;
            (Tensor<T> Left, Tensor<T> Right)?[]? contractions;
            try
            {
                var innerLeaves = Array.ConvertAll(outerLeaves, leaf => Tensor<T>.Leaf(leaf, inner));
                next = Array.ConvertAll(function(innerLeaves, inner), result => result.Live);
                seeds = Array.ConvertAll(next, part => Tensor<T>.Leaf(Tensor.ZerosLike(part), outer));
                contractions = stackContractions ? new (Tensor<T>, Tensor<T>)?[innerLeaves.Length] : null;
                cotangents = Autograd.Rnn.Backward.Run(next, seeds, inner.Id, innerLeaves, contractions);
                reason = inner.Unplannable;
                next = Array.ConvertAll(next, part => part.PrimalAt(inner.Id));
            }
            finally
            {
                Grad.End(inner);
            }
            reason ??= outer.Unplannable;
            if (reason is not null) return null;

            var contractedWith = new int[cotangents.Length];
            var argumentIsLeft = new bool[cotangents.Length];
            Array.Fill(contractedWith, -1);
            for (int k = 0; k < borrowedCount && contractions is not null; k++)
            {
                if (contractions[k] is not var (left, right) || left.Rank != 2 || right.Rank != 2) continue;
                if (StepArgument(right) is int j && left.Live.Node is { IsLeaf: false })
                    (cotangents[k], contractedWith[k]) = (left, j);
                else if (StepArgument(left) is int i && right.Live.Node is { IsLeaf: false })
                    (cotangents[k], contractedWith[k], argumentIsLeft[k]) = (right, i, true);
            }

            // The index of the state part or input that factor is, if it is one (parameters are the same at every step).
            int? StepArgument(Tensor<T> factor)
            {
                int index = Array.FindIndex(outerLeaves, leaf => ReferenceEquals(leaf.Node, factor.Live.Node));
                return index >= borrowedCount ? index : null;
            }
            var saved = SavedValues(outer, seeds, cotangents);
            var forward = PlanBuilder.Build(outer, outerLeaves, [.. next, .. saved], out reason);
            if (forward is null) return null;
            var borrowed = new bool[cotangents.Length];
            for (int k = 0; k < borrowedCount; k++) borrowed[k] = true;
            var backward = PlanBuilder.Build(outer, [.. outerLeaves, .. saved, .. seeds], cotangents, out reason, borrowed);
            if (backward is null) return null;
            var reached = Array.ConvertAll(cotangents, cotangent => cotangent.Live.Node is not null);
            return new StepVjpPlan<T>(forward, backward, next.Length, saved.Count, reached, contractedWith, argumentIsLeft);
        }
        finally
        {
            Grad.End(outer);
        }
    }

    /// <summary>
    /// The forward values the VJP reads: values at the outer level that do not depend on the cotangent leaves, read by
    /// ops that do (or handed out as cotangents themselves). Leaves are inputs of both plans anyway.
    /// </summary>
    private static List<Tensor<T>> SavedValues(Level outer, Tensor<T>[] seeds, Tensor<T>[] cotangents)
    {
        var dependsOnSeeds = new Dictionary<Node<T>, bool>(ReferenceEqualityComparer.Instance);
        foreach (var seed in seeds) dependsOnSeeds[seed.Node!] = true;
        var saved = new List<Tensor<T>>();
        var savedNodes = new HashSet<Node<T>>(ReferenceEqualityComparer.Instance);
        void Save(Tensor<T> value)
        {
            if (value.Node is { IsLeaf: false } node && savedNodes.Add(node)) saved.Add(value);
        }

        // Post-order, iteratively: a node's inputs are classified before the node.
        var stack = new Stack<(Tensor<T> Tensor, bool Expanded)>();
        foreach (var cotangent in cotangents)
            if (cotangent.Live.Node is { } node && node.Level == outer) stack.Push((cotangent.Live, false));
        while (stack.Count > 0)
        {
            var (tensor, expanded) = stack.Pop();
            var node = tensor.Node!;
            if (dependsOnSeeds.ContainsKey(node)) continue;
            if (!expanded)
            {
                stack.Push((tensor, true));
                foreach (var input in node.Inputs)
                    if (input is not null && !dependsOnSeeds.ContainsKey(input.Node!)) stack.Push((input, false));
                continue;
            }
            bool depends = false;
            foreach (var input in node.Inputs) depends |= input is not null && dependsOnSeeds[input.Node!];
            dependsOnSeeds[node] = depends;
            if (depends)
                foreach (var input in node.Inputs)
                    if (input is not null && !dependsOnSeeds[input.Node!]) Save(input);
        }
        foreach (var cotangent in cotangents)
            if (cotangent.Live.Node is { } node && !dependsOnSeeds[node]) Save(cotangent.Live);
        return saved;
    }
}
