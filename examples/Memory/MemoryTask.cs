namespace Memory;

/// <summary>One batch of the task, time-major: <see cref="Tokens"/>[t·batch + b] is symbol t of sequence b.</summary>
/// <param name="Tokens">[time·batch] symbol indices: the class at t = 0, distractors after it.</param>
/// <param name="Labels">[batch] the class each sequence starts with — what the model must output at the end.</param>
/// <param name="Time">Sequence length T + 1.</param>
/// <param name="Batch">Sequences in the batch.</param>
internal sealed record MemoryBatch(int[] Tokens, int[] Labels, int Time, int Batch);

/// <summary>
/// "Remember the first symbol": a sequence of T + 1 symbols whose first is one of <see cref="Classes"/> classes and
/// whose next T are drawn uniformly from a separate alphabet of <see cref="Distractors"/> distractor symbols. The target is
/// the first symbol, read out after the last one (many-to-one). Symbols 0..K−1 are the classes, K..K+D−1 the distractors.
/// Nothing but the first step carries information, so the model must carry it across T steps; chance is 1/K.
/// </summary>
internal sealed class MemoryTask(int classes, int distractors)
{
    public int Classes { get; } = classes;

    public int Distractors { get; } = distractors;

    /// <summary>The vocabulary size K + D.</summary>
    public int Symbols => Classes + Distractors;

    /// <summary>A batch of <paramref name="batch"/> sequences of T + 1 symbols, all drawn from <paramref name="random"/>.</summary>
    public MemoryBatch Sample(int distractorSteps, int batch, ref SplitMix random)
    {
        int time = distractorSteps + 1;
        var tokens = new int[time * batch];
        var labels = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            labels[b] = random.NextInt(Classes);
            tokens[b] = labels[b];
            for (int t = 1; t < time; t++) tokens[t * batch + b] = Classes + random.NextInt(Distractors);
        }
        return new MemoryBatch(tokens, labels, time, batch);
    }
}

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a small, seedable generator, so the data are the same on every run and runtime.</summary>
internal struct SplitMix(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on 0..<paramref name="count"/>−1 (the bias of the modulo is below 2⁻⁵⁹ for the small counts used here).</summary>
    public int NextInt(int count) => (int)(NextUInt64() % (ulong)count);
}
