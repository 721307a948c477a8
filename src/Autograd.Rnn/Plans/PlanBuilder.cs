using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Turns the nodes recorded at a planning level into a <see cref="Plan{T}"/>: orders them, groups elementwise ops into
/// fused regions, and decides which values get a buffer. It knows no op by name: it reads each node's
/// <see cref="PlanStep{T}"/> (the op's kernel and declared <see cref="PlanForm{T}"/>) and nothing else.
/// </summary>
internal static class PlanBuilder
{
    private sealed class Op<T>(Node<T> node, int slot, Shape shape, PlanInput<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Node<T> Node { get; } = node;
        public int Slot { get; } = slot;
        public Shape Shape { get; } = shape;
        public PlanInput<T>[] Inputs { get; } = inputs;
        public PlanForm<T> Form => Node.Step!.Form!;
        public bool Fusable { get; set; }
        public List<Op<T>> Consumers { get; } = [];
        public int Waiting { get; set; }
    }

    /// <summary>The plan of the function recorded at <paramref name="level"/>, or null with the reason it cannot be planned.</summary>
    /// <remarks>
    /// <paramref name="borrowed"/>, per output, optional: true where the caller reads the result before the plan's next run
    /// and keeps nothing of it; it is then handed out as a view of the plan's own buffer (no array per run).
    /// </remarks>
    public static Plan<T>? Build<T>(Level level, Tensor<T>[] leaves, Tensor<T>[] outputs, out string? reason, bool[]? borrowed = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        reason = level.Unplannable;
        if (reason is not null) return null;
        var slots = new Dictionary<Node<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < leaves.Length; i++) slots[leaves[i].Node!] = i;
        var shapes = new List<Shape>();
        foreach (var leaf in leaves) shapes.Add(leaf.Shape);

        // Depth-first from the outputs, iteratively (a long chain must not overflow the stack), in post-order.
        var ops = new List<Op<T>>();
        var stack = new Stack<(Tensor<T> Tensor, bool Expanded)>();
        foreach (var output in outputs)
        {
            var live = output.Live;
            if (live.Node is null) continue;
            if (live.Node.Level != level)
            {
                reason = "an output is traced by an enclosing Grad call";
                return null;
            }
            stack.Push((live, false));
        }
        while (stack.Count > 0)
        {
            var (tensor, expanded) = stack.Pop();
            var node = tensor.Node!;
            if (slots.ContainsKey(node)) continue;
            if (node.Step is null)
            {
                reason = $"{node.Operation} was recorded without a plan step";
                return null;
            }
            if (!expanded)
            {
                stack.Push((tensor, true));
                foreach (var input in node.Inputs) if (input is not null && !slots.ContainsKey(input.Node!)) stack.Push((input, false));
                continue;
            }
            var inputs = new PlanInput<T>[node.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
                inputs[i] = node.Inputs[i] is { } input ? new PlanInput<T>(slots[input.Node!], null) : new PlanInput<T>(-1, node.Step.Constants[i]!);
            int slot = shapes.Count;
            slots[node] = slot;
            shapes.Add(tensor.Shape);
            ops.Add(new Op<T>(node, slot, tensor.Shape, inputs));
        }

        var bySlot = new Op<T>?[shapes.Count];
        foreach (var op in ops) bySlot[op.Slot] = op;
        var outputSlots = new HashSet<int>();
        foreach (var output in outputs) if (output.Live.Node is { } node) outputSlots.Add(slots[node]);
        foreach (var op in ops)
        {
            op.Fusable = IsFusable(op, shapes);
            foreach (var input in op.Inputs)
                if (input.Constant is null && bySlot[input.Slot] is { } producer && !producer.Consumers.Contains(op))
                {
                    producer.Consumers.Add(op);
                    op.Waiting++;
                }
        }

        var order = Schedule(ops);
        var ownsBuffer = new bool[shapes.Count];
        var program = new List<PlanInstruction<T>>();
        var held = new HeldInputs();
        var kernelSlots = new HashSet<int>();
        for (int i = 0; i < order.Count;)
        {
            var op = order[i];
            if (!op.Fusable)
            {
                if (op.Node.Step!.Form is IntoForm<T> into)
                {
                    ownsBuffer[op.Slot] = true;
                    program.Add(new IntoInstruction<T>(into, op.Inputs, op.Slot, held));
                }
                else
                {
                    kernelSlots.Add(op.Slot);
                    program.Add(new KernelInstruction<T>(op.Node.Step.Kernel, op.Inputs, op.Slot));
                }
                i++;
                continue;
            }
            int end = i + 1;
            while (end < order.Count && order[end].Fusable && order[end].Shape.Size == op.Shape.Size) end++;
            program.Add(Region(order.GetRange(i, end - i), shapes, outputSlots, ownsBuffer));
            i = end;
        }

        var fresh = new List<int>();
        var planOutputs = new PlanOutput<T>[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var live = outputs[i].Live;
            if (live.Node is null) planOutputs[i] = new PlanOutput<T>(-1, live, -1, false);
            else
            {
                int slot = slots[live.Node];
                if (slot < leaves.Length) planOutputs[i] = new PlanOutput<T>(slot, null, -1, false);
                else if (borrowed is not null && borrowed[i])
                {
                    planOutputs[i] = new PlanOutput<T>(-1, null, slot, Copy: false);
                }
                else
                {
                    bool owned = ownsBuffer[slot];
                    if (owned && !fresh.Contains(slot)) fresh.Add(slot);
                    planOutputs[i] = new PlanOutput<T>(-1, null, slot, Copy: !owned);
                }
            }
        }
        var inputShapes = shapes.GetRange(0, leaves.Length).ToArray();
        return new Plan<T>(inputShapes, shapes.ToArray(), program.ToArray(), planOutputs, ownsBuffer, fresh.ToArray(), held);
    }

    // An elementwise op fuses when each operand is the result's size, one element, a row repeated along leading axes or a
    // column repeated along trailing axes; two columns (whose broadcast the eager loop writes as one filled value) do not.
    private static bool IsFusable<T>(Op<T> op, List<Shape> shapes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op.Node.Step!.Form is not (ElementwiseUnary<T> or ElementwiseBinary<T>)) return false;
        int columns = 0;
        foreach (var input in op.Inputs)
        {
            var kind = Kind(input.Constant?.Shape ?? shapes[input.Slot], op.Shape);
            if (kind is null) return false;
            if (kind == OperandKind.Column) columns++;
        }
        return columns < 2;
    }

    private static OperandKind? Kind(Shape operand, Shape result)
    {
        // Of the result's size and broadcasting to it, an operand differs from it at most by dimensions of 1 (a bias [H]
        // under [1, H] at batch 1): the same elements in the same order.
        if (operand.Size == result.Size) return Broadcasting.CanBroadcastTo(operand, result) ? OperandKind.Full : null;
        if (operand.Size == 1) return OperandKind.Scalar;
        // A row repeated along leading axes: aligned to the result's rank, its leading dimensions are 1 and the rest equal.
        if (operand.Rank > result.Rank || operand.Size == 0) return null;
        int shift = result.Rank - operand.Rank, first = 0;
        while (first < operand.Rank && operand.Span[first] == 1) first++;
        bool periodic = true;
        for (int a = first; a < operand.Rank; a++) periodic &= operand.Span[a] == result.Span[a + shift];
        if (periodic) return OperandKind.Periodic;
        return ColumnRun(operand, result) > 0 ? OperandKind.Column : null;
    }

    // A column repeated along trailing axes: aligned to the result's rank, its leading dimensions equal the result's and
    // the rest are 1. The run length (how many positions share one of its elements) is the size of those trailing axes;
    // 0 when the operand is not a column.
    private static int ColumnRun(Shape operand, Shape result)
    {
        int shift = result.Rank - operand.Rank, a = result.Rank;
        while (a > 0 && (a - 1 < shift || operand.Span[a - 1 - shift] == 1)) a--;
        for (int b = 0; b < a; b++) if (result.Span[b] != (b < shift ? 1 : operand.Span[b - shift])) return 0;
        return result.Product(a, result.Rank);
    }

    /// <summary>
    /// A topological order that runs every ready non-fusable op (products, copies) as early as it can and keeps ready
    /// elementwise ops of one size together, so fused regions are as long as the data dependencies allow.
    /// </summary>
    private static List<Op<T>> Schedule<T>(List<Op<T>> ops) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ready = new List<Op<T>>();
        foreach (var op in ops) if (op.Waiting == 0) ready.Add(op);
        var order = new List<Op<T>>(ops.Count);
        int size = -1;
        while (ready.Count > 0)
        {
            int pick = ready.FindIndex(op => !op.Fusable);
            if (pick < 0) pick = ready.FindIndex(op => op.Shape.Size == size);
            if (pick < 0) pick = 0;
            var next = ready[pick];
            ready.RemoveAt(pick);
            order.Add(next);
            if (next.Fusable) size = next.Shape.Size;
            foreach (var consumer in next.Consumers) if (--consumer.Waiting == 0) ready.Add(consumer);
        }
        return order;
    }

    // A value computed in the region is written to a full-size buffer only when something outside the region reads it.
    private static FusedRegion<T> Region<T>(List<Op<T>> members, List<Shape> shapes, HashSet<int> outputSlots, bool[] ownsBuffer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inRegion = new HashSet<Op<T>>(members);
        var scratchOf = new Dictionary<int, int>();
        var regionOps = new RegionOp<T>[members.Count];
        for (int m = 0; m < members.Count; m++)
        {
            var op = members[m];
            bool escapes = outputSlots.Contains(op.Slot);
            foreach (var consumer in op.Consumers) escapes |= !inRegion.Contains(consumer);
            int scratch = -1;
            if (escapes) ownsBuffer[op.Slot] = true;
            else scratchOf[op.Slot] = scratch = scratchOf.Count;
            var a = Operand(op.Inputs[0], op.Shape, shapes, scratchOf);
            var b = op.Inputs.Length > 1 ? Operand(op.Inputs[1], op.Shape, shapes, scratchOf) : default;
            regionOps[m] = new RegionOp<T>(op.Form, a, b, op.Slot, scratch);
        }
        return new FusedRegion<T>(members[0].Shape.Size, regionOps, scratchOf.Count);
    }

    private static RegionOperand<T> Operand<T>(PlanInput<T> input, Shape result, List<Shape> shapes, Dictionary<int, int> scratchOf)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Constant is null && scratchOf.TryGetValue(input.Slot, out int scratch))
            return new RegionOperand<T>(OperandKind.Scratch, input, scratch, 0);
        var shape = input.Constant?.Shape ?? shapes[input.Slot];
        var kind = Kind(shape, result)!.Value;
        int period = kind switch { OperandKind.Periodic => shape.Size, OperandKind.Column => ColumnRun(shape, result), _ => 0 };
        return new RegionOperand<T>(kind, input, -1, period);
    }
}
