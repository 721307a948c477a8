namespace Examples;

/// <summary>
/// The training examples' indices in batches: a seeded shuffle of all of them, cut into batches of one size; when the
/// rest of a pass is too short for a batch, a fresh shuffle starts the next pass. Same seed, same batches.
/// </summary>
internal sealed class ShuffledBatches(int count, int batchSize, ulong seed)
{
    private readonly int[] order = Enumerable.Range(0, count).ToArray();
    private readonly Random random = new(unchecked((int)seed));
    private int cursor = count;

    /// <summary>The batch size: the one asked for, or every example when there are fewer.</summary>
    public int BatchSize { get; } = Math.Min(batchSize, count);

    /// <summary>The next batch's example indices.</summary>
    public int[] Next()
    {
        if (cursor + BatchSize > order.Length)
        {
            random.Shuffle(order);
            cursor = 0;
        }
        var batch = order.AsSpan(cursor, BatchSize).ToArray();
        cursor += BatchSize;
        return batch;
    }
}
