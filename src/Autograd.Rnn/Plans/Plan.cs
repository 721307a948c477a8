using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A recorded function of tensors with fixed shapes, ready to run again on new inputs of those shapes: a list of
/// instructions over numbered slots (the inputs first, then one per recorded op), with the buffers of every value an
/// instruction writes in place allocated once. Values the caller receives are written to fresh arrays on every run, so
/// no tensor handed out is ever written again. A plan is not thread-safe: one run at a time.
/// </summary>
internal sealed class Plan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Shape[] inputShapes;
    private readonly Shape[] slotShapes;
    private readonly PlanInstruction<T>[] program;
    private readonly PlanOutput<T>[] outputs;
    private readonly int[] freshSlots;
    private readonly bool[] fresh;
    private readonly bool[] keep;
    // The slots with a buffer of the plan's own, and the slots dropped after a run: the per-run loops visit only these.
    private readonly int[] ownedSlots;
    private readonly int[] droppedSlots;
    private readonly NdArray<T>[] values;
    private readonly ArraySegment<T>[] buffers;
    // The plan's own buffer of each slot it writes and its value (null for fresh slots): restored after a run that wrote
    // into given destinations.
    private readonly T[]?[] own;
    private readonly NdArray<T>?[] ownValues;
    private readonly HeldInputs held;

    internal Plan(Shape[] inputShapes, Shape[] slotShapes, PlanInstruction<T>[] program, PlanOutput<T>[] outputs,
        bool[] ownsBuffer, int[] freshSlots, HeldInputs held)
    {
        this.held = held;
        this.inputShapes = inputShapes;
        this.slotShapes = slotShapes;
        this.program = program;
        this.outputs = outputs;
        this.freshSlots = freshSlots;
        values = new NdArray<T>[slotShapes.Length];
        buffers = new ArraySegment<T>[slotShapes.Length];
        own = new T[]?[slotShapes.Length];
        ownValues = new NdArray<T>?[slotShapes.Length];
        keep = new bool[slotShapes.Length];
        fresh = new bool[slotShapes.Length];
        foreach (int slot in freshSlots) fresh[slot] = true;
        for (int slot = 0; slot < slotShapes.Length; slot++)
        {
            if (!ownsBuffer[slot] || fresh[slot]) continue;
            var buffer = new T[slotShapes[slot].Size];
            own[slot] = buffer;
            buffers[slot] = buffer;
            values[slot] = ownValues[slot] = new NdArray<T>(buffer, slotShapes[slot]);
            keep[slot] = true;
        }
        ownedSlots = Enumerable.Range(0, slotShapes.Length).Where(slot => keep[slot]).ToArray();
        droppedSlots = Enumerable.Range(0, slotShapes.Length).Where(slot => !keep[slot]).ToArray();
    }
    /// <summary>The shapes of the inputs the plan was recorded for.</summary>
    public IReadOnlyList<Shape> InputShapes => inputShapes;

    /// <summary>The shape of output <paramref name="index"/>.</summary>
    public Shape OutputShape(int index)
    {
        var output = outputs[index];
        return output.Constant?.Shape ?? (output.Input >= 0 ? inputShapes[output.Input] : slotShapes[output.Slot]);
    }

    /// <summary>Whether outputs <paramref name="output"/> and <paramref name="other"/> are always the same value (one slot).</summary>
    public bool SameOutputs(int output, int other)
    {
        var (a, b) = (outputs[output], outputs[other]);
        return a.Constant is null && b.Constant is null && a.Input < 0 && b.Input < 0 && a.Slot == b.Slot;
    }

    /// <summary>How many instructions run: fused regions count once.</summary>
    public int InstructionCount => program.Length;

    /// <summary>How many elementwise ops run inside fused regions.</summary>
    public int FusedOpCount
    {
        get
        {
            int count = 0;
            foreach (var instruction in program) if (instruction is FusedRegion<T> region) count += region.OpCount;
            return count;
        }
    }

    /// <summary>How many elementwise operations the fused regions apply per run: each region's size times its ops.</summary>
    public long FusedElementOps
    {
        get
        {
            long count = 0;
            foreach (var instruction in program) if (instruction is FusedRegion<T> region) count += (long)region.Size * region.OpCount;
            return count;
        }
    }

    /// <summary>How many ops run through their allocating kernel (no declared plan form).</summary>
    public int KernelOpCount
    {
        get
        {
            int count = 0;
            foreach (var instruction in program) if (instruction is KernelInstruction<T>) count++;
            return count;
        }
    }

    /// <summary>
    /// Promises that the first <paramref name="count"/> inputs keep their values over the runs until
    /// <see cref="ReleaseInputs"/> (an unroll's parameters, the same for every step), so that work derived from them alone,
    /// such as a weight packed for the matrix product, is done once for all those runs.
    /// </summary>
    public void HoldInputs(int count) => held.Begin(count);

    /// <summary>Ends <see cref="HoldInputs"/>: later runs derive everything from their inputs again.</summary>
    public void ReleaseInputs()
    {
        held.End();
        foreach (var instruction in program) if (instruction is IntoInstruction<T> into) into.Forget();
    }

    public bool Fits(ReadOnlySpan<Tensor<T>> inputs)
    {
        if (inputs.Length != inputShapes.Length) return false;
        for (int i = 0; i < inputs.Length; i++) if (inputs[i].Shape != inputShapes[i]) return false;
        return true;
    }

    /// <summary>Runs the plan on untraced inputs of the recorded shapes (see <see cref="Fits"/>).</summary>
    public Tensor<T>[] Run(ReadOnlySpan<Tensor<T>> inputs)
    {
        for (int i = 0; i < inputs.Length; i++) values[i] = inputs[i].Value;
        // The values handed out are new, or lent by the thread's arena (a compiled VJP's cotangents in a sweep, a compiled
        // input projection's values in the level's scratch).
        foreach (int slot in freshSlots)
        {
            var value = NdArray<T>.Uninitialized(slotShapes[slot]);
            buffers[slot] = value.Unwritten;
            values[slot] = value;
        }
        foreach (var instruction in program) instruction.Run(values, buffers);
        var result = new Tensor<T>[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) result[i] = outputs[i].Read(values, inputs);
        Release();
        return result;
    }

    /// <summary>
    /// Runs the plan on input values of the recorded shapes, writing output i straight into <paramref name="destinations"/>[i]
    /// where one is given (a run of a buffer nobody else has seen yet, see <see cref="NdArray{T}.Unwritten"/>; an output
    /// that no instruction writes into a buffer — an input passed through, a constant, a kernel's value — is copied there).
    /// <paramref name="results"/>[i] receives the destination, or where none is given, the plan's own value, valid until
    /// its next run. With a destination for every fresh output this allocates no array: a planned unroll runs its steps
    /// so, with the states, saved values and cotangents in slabs allocated once per sequence.
    /// </summary>
    public void RunInto(ReadOnlySpan<NdArray<T>> inputs, ReadOnlySpan<NdArray<T>?> destinations, Span<NdArray<T>> results)
    {
        for (int i = 0; i < inputs.Length; i++) values[i] = inputs[i];
        for (int i = 0; i < outputs.Length; i++)
        {
            if (destinations[i] is not { } destination || !WritesBuffer(outputs[i])) continue;
            int slot = outputs[i].Slot;
            bool redirected = own[slot] is not null ? !ReferenceEquals(values[slot], ownValues[slot]) : values[slot] is not null;
            if (redirected) continue; // the same value asked for twice: written once, copied to the second destination
            buffers[slot] = destination.Unwritten;
            values[slot] = destination;
        }
        foreach (int slot in freshSlots)
            if (values[slot] is null)
            {
                var buffer = GC.AllocateUninitializedArray<T>(slotShapes[slot].Size);
                buffers[slot] = buffer;
                values[slot] = new NdArray<T>(buffer, slotShapes[slot]);
            }
        foreach (var instruction in program) instruction.Run(values, buffers);
        for (int i = 0; i < outputs.Length; i++)
        {
            var value = outputs[i].Value(values, inputs);
            if (destinations[i] is { } destination)
            {
                if (!ReferenceEquals(value, destination)) value.Span.CopyTo(destination.Unwritten);
                results[i] = destination;
            }
            else results[i] = value;
        }
        foreach (int slot in ownedSlots)
            if (!ReferenceEquals(values[slot], ownValues[slot]))
            {
                buffers[slot] = own[slot]!;
                values[slot] = ownValues[slot]!;
            }
        Release();
    }

    private bool WritesBuffer(PlanOutput<T> output) =>
        output.Constant is null && output.Input < 0 && (own[output.Slot] is not null || fresh[output.Slot]);

    // Inputs and the values of kernels are dropped, so the plan holds no tensor of the caller's between runs.
    private void Release()
    {
        foreach (int slot in droppedSlots) values[slot] = null!;
        foreach (int slot in freshSlots) buffers[slot] = default;
    }
}

/// <summary>
/// One output of a plan: an input passed through, a constant, or a slot — copied when its slot may share a buffer the
/// plan writes again (a kernel's view of a plan buffer, such as a reshape), handed out as it is when it is a fresh array.
/// </summary>
internal readonly record struct PlanOutput<T>(int Input, Tensor<T>? Constant, int Slot, bool Copy) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The output's value after a run, without copying (a view of the plan's buffer where it is one).</summary>
    public NdArray<T> Value(NdArray<T>[] values, ReadOnlySpan<NdArray<T>> inputs) =>
        Constant is not null ? Constant.Value : Input >= 0 ? inputs[Input] : values[Slot];

    public Tensor<T> Read(NdArray<T>[] values, ReadOnlySpan<Tensor<T>> inputs)
    {
        if (Constant is not null) return Constant;
        if (Input >= 0) return inputs[Input];
        var value = values[Slot];
        return new Tensor<T>(Copy ? new NdArray<T>(value.ToArray(), value.Shape) : value);
    }
}
