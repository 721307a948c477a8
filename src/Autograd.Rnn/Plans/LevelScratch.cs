using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Buffers that live exactly as long as one <see cref="Grad"/> level, handed back to a per-thread pool when the level
/// ends. A planned unroll keeps the values its VJP reads in slabs of [time, batch, k]; nothing but that VJP ever sees
/// them, and no sweep runs over a level once it has ended, so the next training step may write them again. Without
/// this every step allocated them afresh, and at the sizes recurrent models train at they are over the large-object
/// threshold (85,000 bytes): with the runtime's default settings, such arrays are what triggers gen-2 collections.
/// </summary>
/// <remarks>
/// The pool is per thread (a level ends on the thread that started it, so only that thread touches its pool) and holds
/// at most <see cref="Capacity"/> arrays: a thread that trained keeps about one training step's slabs for the next one.
/// A buffer is reused for a request of at least half its length (a view of its start), so batches padded to different
/// lengths share buffers without holding more than twice what they use.
/// </remarks>
internal static class LevelScratch
{
    private const int Capacity = 64;

    [ThreadStatic] private static List<Array>? free;

    /// <summary>
    /// An uninitialised value of <paramref name="shape"/> that the caller may write and read until <paramref name="level"/>
    /// ends and must not touch after.
    /// </summary>
    public static NdArray<T> Value<T>(Level level, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var array = Take<T>(shape.Size) ?? GC.AllocateUninitializedArray<T>(shape.Size);
        level.WhenEnded(() => Give(array));
        return array.Length == shape.Size ? new NdArray<T>(array, shape) : new NdArray<T>(array, new Shape(array.Length)).View(0, shape);
    }

    // The smallest free buffer that fits without being more than twice the request.
    private static T[]? Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (free is not { } pool) return null;
        int best = -1;
        for (int i = 0; i < pool.Count; i++)
            if (pool[i] is T[] candidate && candidate.Length >= length && candidate.Length / 2 <= length
                && (best < 0 || candidate.Length < pool[best].Length))
                best = i;
        if (best < 0) return null;
        var array = (T[])pool[best];
        pool.RemoveAt(best);
        return array;
    }

    private static void Give(Array array)
    {
        var pool = free ??= [];
        if (pool.Count == Capacity) pool.RemoveAt(0);
        pool.Add(array);
    }
}
