using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>One instruction of a plan: computes one or more slots of <see cref="Plan{T}"/> from earlier ones.</summary>
internal abstract class PlanInstruction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract void Run(NdArray<T>[] values, ArraySegment<T>[] buffers);
}

/// <summary>Where an instruction reads one input: a slot of the plan, or a constant recorded with the op.</summary>
internal readonly record struct PlanInput<T>(int Slot, NdArray<T>? Constant) where T : unmanaged, IFloatingPointIeee754<T>
{
    public NdArray<T> Read(NdArray<T>[] values) => Constant ?? values[Slot];
}

/// <summary>An op with no declared form: its ordinary kernel, which allocates its result on every run.</summary>
internal sealed class KernelInstruction<T>(Func<NdArray<T>[], NdArray<T>> kernel, PlanInput<T>[] inputs, int output)
    : PlanInstruction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NdArray<T>[] arguments = new NdArray<T>[inputs.Length];

    public override void Run(NdArray<T>[] values, ArraySegment<T>[] buffers)
    {
        for (int i = 0; i < inputs.Length; i++) arguments[i] = inputs[i].Read(values);
        values[output] = kernel(arguments);
        Array.Clear(arguments);
    }
}

/// <summary>
/// An op with an <see cref="IntoForm{T}"/>: writes its result into the plan's buffer of its output slot. A product whose
/// right operand is one of the plan's held inputs (<see cref="HeldInputs"/>: a weight, the same for every step of an
/// unroll) packs it once per hold and reuses the packed copy.
/// </summary>
internal sealed class IntoInstruction<T>(IntoForm<T> form, PlanInput<T>[] inputs, int output, HeldInputs held)
    : PlanInstruction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NdArray<T>[] arguments = new NdArray<T>[inputs.Length];
    private GemmPackedB<T>? packed;
    private NdArray<T>? packedSource;
    private long packedHold = -1;
    private bool packedPays;

    public override void Run(NdArray<T>[] values, ArraySegment<T>[] buffers)
    {
        for (int i = 0; i < inputs.Length; i++) arguments[i] = inputs[i].Read(values);
        if (Packed() is { } right) form.Invoke(arguments, buffers[output], right);
        else form.Invoke(arguments, buffers[output]);
        Array.Clear(arguments);
    }

    // The packed right operand, when it is a held input: packed on its first use in the current hold, then reused.
    private GemmPackedB<T>? Packed()
    {
        int index = form.PackableInput;
        if (index < 0 || inputs[index].Constant is not null || inputs[index].Slot >= held.Count) return null;
        var source = arguments[index];
        if (packedHold != held.Hold || !ReferenceEquals(packedSource, source))
        {
            var result = form.PackRight(arguments, packed);
            packedPays = result is not null;
            packed = result ?? packed;
            (packedSource, packedHold) = (source, held.Hold);
        }
        return packedPays ? packed : null;
    }

    /// <summary>Lets go of the operand packed in the hold that ended (its storage stays for the next hold).</summary>
    public void Forget() => (packedSource, packedHold) = (null, -1);
}

/// <summary>
/// Which inputs of a plan keep their values across the runs of a hold (<see cref="Plan{T}.HoldInputs"/>): the first
/// <see cref="Count"/>, until the next hold or release. Instructions may keep work derived from them for that long.
/// </summary>
internal sealed class HeldInputs
{
    private static long holds;

    /// <summary>How many leading inputs are held (0: none).</summary>
    public int Count { get; private set; }

    /// <summary>An id of the current hold, unique in the process.</summary>
    public long Hold { get; private set; } = -2;

    public void Begin(int count) => (Count, Hold) = (count, Interlocked.Increment(ref holds));

    public void End() => (Count, Hold) = (0, -2);
}
