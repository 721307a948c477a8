namespace Autograd.Rnn.Testing;

// Compares entries one by one, keeping the worst (largest error relative to what is allowed) and whether any failed.
internal sealed class Tally
{
    public bool Passed { get; private set; } = true;

    public CellCheckEntry? Worst { get; private set; }

    public void Add(CellCheckEntry entry)
    {
        Passed &= entry.Passed;
        if (Worst is null || entry.Ratio > Worst.Ratio || (!entry.Passed && Worst.Passed)) Worst = entry;
    }

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> entry by entry: allowed absolute + relative·|expected|.</summary>
    public void Compare(string what, Shape shape, double[] expected, double[] actual, double absolute, double relative)
    {
        for (int i = 0; i < expected.Length; i++)
            Add(new CellCheckEntry(what + Values.Index(i, shape), expected[i], actual[i], absolute + relative * Math.Abs(expected[i])));
    }

    public CellCheckOutcome Outcome(CellCheckKind check, CellCase c) => new(check, Passed, 1, c, Worst);
}
