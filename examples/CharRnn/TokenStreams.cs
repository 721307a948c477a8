namespace CharRnn;

/// <summary>
/// Cuts a token sequence into <c>batch</c> contiguous streams and serves consecutive chunks of <c>time</c> steps from
/// each, laid out time-major ([time, batch]) with the next token of each position as its target. Wraps around at the end.
/// </summary>
sealed class TokenStreams(int[] tokens, int batch, int time)
{
    private readonly int streamLength = (tokens.Length - 1) / batch;
    private int position;

    public int ChunksPerPass => Math.Max(1, streamLength / time);

    public (int[] Inputs, int[] Targets) Next()
    {
        if (position + time > streamLength) position = 0;
        var inputs = new int[time * batch];
        var targets = new int[time * batch];
        for (int t = 0; t < time; t++)
            for (int b = 0; b < batch; b++)
            {
                int offset = b * streamLength + position + t;
                inputs[t * batch + b] = tokens[offset];
                targets[t * batch + b] = tokens[offset + 1];
            }
        position += time;
        return (inputs, targets);
    }
}
