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
    private readonly bool[] keep;
    private readonly NdArray<T>[] values;
    private readonly T[]?[] buffers;

    internal Plan(Shape[] inputShapes, Shape[] slotShapes, PlanInstruction<T>[] program, PlanOutput<T>[] outputs,
        bool[] ownsBuffer, int[] freshSlots)
    {
        this.inputShapes = inputShapes;
        this.slotShapes = slotShapes;
        this.program = program;
        this.outputs = outputs;
        this.freshSlots = freshSlots;
        values = new NdArray<T>[slotShapes.Length];
        buffers = new T[]?[slotShapes.Length];
        keep = new bool[slotShapes.Length];
        for (int slot = 0; slot < slotShapes.Length; slot++)
        {
            if (!ownsBuffer[slot] || Array.IndexOf(freshSlots, slot) >= 0) continue;
            buffers[slot] = new T[slotShapes[slot].Size];
            values[slot] = new NdArray<T>(buffers[slot]!, slotShapes[slot]);
            keep[slot] = true;
        }
    }

    /// <summary>The shapes of the inputs the plan was recorded for.</summary>
    public IReadOnlyList<Shape> InputShapes => inputShapes;

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
        foreach (int slot in freshSlots)
        {
            var buffer = GC.AllocateUninitializedArray<T>(slotShapes[slot].Size);
            buffers[slot] = buffer;
            values[slot] = new NdArray<T>(buffer, slotShapes[slot]);
        }
        foreach (var instruction in program) instruction.Run(values, buffers);
        var result = new Tensor<T>[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) result[i] = outputs[i].Read(values, inputs);
        // Inputs and the values of kernels are dropped, so the plan holds no tensor of the caller's between runs.
        for (int i = 0; i < values.Length; i++) if (!keep[i]) values[i] = null!;
        foreach (int slot in freshSlots) buffers[slot] = null;
        return result;
    }
}

/// <summary>
/// One output of a plan: an input passed through, a constant, or a slot — copied when its slot may share a buffer the
/// plan writes again (a kernel's view of a plan buffer, such as a reshape), handed out as it is when it is a fresh array.
/// </summary>
internal readonly record struct PlanOutput<T>(int Input, Tensor<T>? Constant, int Slot, bool Copy) where T : unmanaged, IFloatingPointIeee754<T>
{
    public Tensor<T> Read(NdArray<T>[] values, ReadOnlySpan<Tensor<T>> inputs)
    {
        if (Constant is not null) return Constant;
        if (Input >= 0) return inputs[Input];
        var value = values[Slot];
        return new Tensor<T>(Copy ? new NdArray<T>(value.ToArray(), value.Shape) : value);
    }
}
