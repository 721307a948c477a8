using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Per-thread arrays that planned ops use for values nobody outside them can see, handed back when their scope ends (a
/// <see cref="Grad"/> level for an unroll's saved values, one reverse sweep for its cotangents) and taken again by the
/// next training step instead of allocating: at the sizes recurrent models train at these arrays are over the
/// large-object threshold (85,000 bytes), and with the runtime's default settings such arrays are what triggers gen-2
/// collections.
/// </summary>
/// <remarks>
/// A scope ends on the thread that started it, so only that thread touches its pool. The pool holds at most
/// <see cref="Capacity"/> arrays: a thread that trained keeps about one training step's buffers for the next one. A
/// buffer is reused for a request of at least half its length (a view of its start), so batches padded to different
/// lengths share buffers without holding more than twice what they use.
/// </remarks>
internal static class ScratchPool
{
    /// <summary>
    /// A training step of one large layer hands back about a hundred arrays: its saved values, its projected inputs and
    /// their cotangents in blocks of at most 1 MB (25 each at batch 64, hidden 512, 50 steps), and the results its sweep
    /// lent. With room for fewer, every step evicts what the next one needs and allocates it again.
    /// </summary>
    private const int Capacity = 256;

    [ThreadStatic] private static List<Array>? free;

    /// <summary>An array of at least <paramref name="length"/> elements and arbitrary contents: from the pool, else new.</summary>
    public static T[] Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (free is { } pool)
        {
            int best = -1;
            for (int i = 0; i < pool.Count; i++)
                if (pool[i] is T[] candidate && candidate.Length >= length && candidate.Length / 2 <= length
                    && (best < 0 || candidate.Length < pool[best].Length))
                    best = i;
            if (best >= 0)
            {
                var array = (T[])pool[best];
                pool.RemoveAt(best);
                return array;
            }
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Hands <paramref name="array"/> back; the caller and everything it lent the array to must not touch it again.</summary>
    public static void Give(Array array)
    {
        var pool = free ??= [];
        if (pool.Count == Capacity) pool.RemoveAt(0);
        pool.Add(array);
    }

    /// <summary>A value of <paramref name="shape"/> over the start of <paramref name="array"/>.</summary>
    public static NdArray<T> View<T>(T[] array, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        array.Length == shape.Size ? new NdArray<T>(array, shape) : new NdArray<T>(array, new Shape(array.Length)).View(0, shape);
}
