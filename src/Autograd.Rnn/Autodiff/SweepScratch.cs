using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Buffers that live as long as one reverse sweep (<see cref="Backward.Run{T}(Tensor{T}, Tensor{T}, long, Tensor{T}[])"/> and its forms),
/// from the <see cref="ScratchPool"/>: for cotangents a planned op hands to the sweep, such as a planned unroll's
/// cotangents of its blocks of step inputs, which the sweep passes on to the ops that made the blocks and then drops.
/// </summary>
/// <remarks>
/// A sweep with no other level running lends its scratch to the results of the ops its VJP rules run (the first
/// <see cref="LentCapacity"/> of them, <see cref="ValueArena"/>), so a training loop's cotangents reuse the same arrays
/// step after step. Outside the sweep a cotangent can only be seen as a leaf's gradient, which the sweep returns: the sweep copies any
/// gradient that shares a buffer with its scratch before the buffers go back (a cell whose input projection hands its
/// input on unchanged makes a block's cotangent the input's gradient). No VJP keeps its cotangent: VJP rules are public
/// ops, whose results are new values or views that the same copy catches. Sweeps nest (one may run while recording a
/// plan); each hands back only its own buffers.
/// </remarks>
internal static class SweepScratch
{
    /// <summary>
    /// How many arrays one sweep lends to op results (<see cref="Sweep.Take{T}"/>); later results are new arrays. A planned
    /// unroll's sweep needs a handful; an eager sweep of thousands of ops would otherwise hold every cotangent it ever
    /// made until it ends.
    /// </summary>
    private const int LentCapacity = 32;

    [ThreadStatic] private static Sweep? current;
    [ThreadStatic] private static long started;

    internal sealed class Sweep(Sweep? enclosing, long id) : IValueArena
    {
        private static readonly HashSet<Array> None = new(ReferenceEqualityComparer.Instance);
        // Made at the first rent, sized for what a planned unroll's sweep rents, so that it does not grow step by step.
        private HashSet<Array>? held;
        private int lent;

        public Sweep? Enclosing { get; } = enclosing;

        public long Id { get; } = id;

        public IReadOnlySet<Array> Held => held ?? None;

        /// <summary>An array from the pool that goes back when the sweep ends.</summary>
        public T[] Rent<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var array = ScratchPool.Take<T>(length);
            (held ??= new HashSet<Array>(LentCapacity, ReferenceEqualityComparer.Instance)).Add(array);
            return array;
        }

        /// <summary>An op result's array from the pool while fewer than <see cref="LentCapacity"/> were lent, else null.</summary>
        public T[]? Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (lent == LentCapacity || length == 0) return null;
            lent++;
            return Rent<T>(length);
        }
    }

    /// <summary>The running sweep's id (distinct for every sweep on the thread), or 0 outside any.</summary>
    public static long CurrentId => current?.Id ?? 0;

    public static Sweep Begin() => current = new Sweep(current, ++started);

    /// <summary>Hands the sweep's buffers back; nothing may read them after.</summary>
    public static void End(Sweep sweep)
    {
        foreach (var array in sweep.Held) ScratchPool.Give(array);
        current = sweep.Enclosing;
    }

    /// <summary>An uninitialised value of <paramref name="shape"/> that lives until the running sweep ends (a new array outside any).</summary>
    public static NdArray<T> Value<T>(Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (current is not { } sweep) return new NdArray<T>(GC.AllocateUninitializedArray<T>(shape.Size), shape);
        return NdArray<T>.OverStart(sweep.Rent<T>(shape.Size), shape);
    }

    /// <summary><paramref name="gradient"/>, or a copy of it when it shares a buffer with <paramref name="sweep"/>'s scratch.</summary>
    public static Tensor<T> Detached<T>(Sweep sweep, Tensor<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (sweep.Held.Count == 0 || gradient.IsTraced || !gradient.Value.SharesBufferWithAny(sweep.Held)) return gradient;
        return new Tensor<T>(new NdArray<T>(gradient.Value.ToArray(), gradient.Shape));
    }
}
