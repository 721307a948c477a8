using System.Numerics;

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

/// <summary>An op with an <see cref="IntoForm{T}"/>: writes its result into the plan's buffer of its output slot.</summary>
internal sealed class IntoInstruction<T>(IntoForm<T> form, PlanInput<T>[] inputs, int output)
    : PlanInstruction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly NdArray<T>[] arguments = new NdArray<T>[inputs.Length];

    public override void Run(NdArray<T>[] values, ArraySegment<T>[] buffers)
    {
        for (int i = 0; i < inputs.Length; i++) arguments[i] = inputs[i].Read(values);
        form.Invoke(arguments, buffers[output]);
        Array.Clear(arguments);
    }
}
