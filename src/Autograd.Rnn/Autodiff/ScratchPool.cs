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

    // Arrays held by this thread's pool, of both element types.
    [ThreadStatic] private static int count;

    /// <summary>An array of at least <paramref name="length"/> elements and arbitrary contents: from the pool, else new.</summary>
    public static T[] Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Buckets<T>.Take(length) is { } array)
        {
            count--;
            return array;
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Hands <paramref name="array"/> back; the caller and everything it lent the array to must not touch it again.</summary>
    public static void Give(Array array)
    {
        bool kept = array switch
        {
            float[] single => Buckets<float>.Give(single, count == Capacity),
            double[] pair => Buckets<double>.Give(pair, count == Capacity),
            _ => false,
        };
        if (kept) count++;
    }

    /// <summary>
    /// One element type's arrays, by the power of two their length lies at or above (bucket b holds lengths in
    /// [2^b, 2^(b+1))): a request for n elements looks only in the buckets of n and of 2n, where every array that may
    /// serve it (n ≤ length ≤ 2n) lies, so taking and giving stay cheap however many arrays the pool holds.
    /// </summary>
    private static class Buckets<T>
    {
        [ThreadStatic] private static List<T[]>?[]? buckets;

        public static T[]? Take(int length)
        {
            if (buckets is null || length == 0) return null;
            int first = Bucket(length);
            (int bucket, int index) best = (-1, -1);
            for (int b = first; b <= first + 1 && b < buckets.Length; b++)
            {
                if (buckets[b] is not { } arrays) continue;
                for (int i = 0; i < arrays.Count; i++)
                {
                    int candidate = arrays[i].Length;
                    // Among equal lengths the one given back last wins: a training loop then gets its arrays back in a
                    // steady order.
                    if (candidate >= length && candidate / 2 <= length && (best.bucket < 0 || candidate <= buckets[best.bucket]![best.index].Length))
                        best = (b, i);
                }
            }
            if (best.bucket < 0) return null;
            var list = buckets[best.bucket]!;
            var array = list[best.index];
            list.RemoveAt(best.index);
            return array;
        }

        // Keeps the array (true), making room when the pool is full by dropping the oldest array of the largest lengths
        // this type holds; an array of a type the pool holds none of is then dropped itself (false).
        public static bool Give(T[] array, bool full)
        {
            if (array.Length == 0) return false;
            buckets ??= new List<T[]>?[32];
            if (full)
            {
                int largest = buckets.Length - 1;
                while (largest >= 0 && buckets[largest] is not { Count: > 0 }) largest--;
                if (largest < 0) return false;
                buckets[largest]!.RemoveAt(0);
                count--;
            }
            (buckets[Bucket(array.Length)] ??= []).Add(array);
            return true;
        }

        private static int Bucket(int length) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)length);
    }
}
