namespace Autograd.Rnn;

/// <summary>NumPy broadcasting rules: dimensions are aligned from the right; each pair must be equal or one of them 1.</summary>
internal static class Broadcasting
{
    /// <summary>The shape both operands broadcast to; throws naming <paramref name="operation"/> and both shapes when they cannot.</summary>
    public static Shape Result(Shape a, Shape b, string operation)
    {
        if (a == b) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        var d = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = DimensionFromRight(a, rank - 1 - i);
            int db = DimensionFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{operation}: {a} and {b} cannot be broadcast: dimension {i} of the result would need {da} and {db}.");
            d[i] = da == 1 ? db : da;
        }
        if (Shape.TooLarge(d, out string tooLarge))
            throw new ArgumentException($"{operation}: {a} and {b}: the broadcast result {tooLarge}.");
        return Shape.Owning(d);
    }

    /// <summary>Whether <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool CanBroadcastTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank) return false;
        for (int i = 0; i < from.Rank; i++)
        {
            int df = from.Span[from.Rank - 1 - i], dt = to.Span[to.Rank - 1 - i];
            if (df != dt && df != 1) return false;
        }
        return true;
    }

    // Dimension `fromRight` places from the last one (0 = last); 1 beyond the rank.
    private static int DimensionFromRight(Shape s, int fromRight) => fromRight < s.Rank ? s.Span[s.Rank - 1 - fromRight] : 1;

    /// <summary>Writes the dimensions of <paramref name="s"/>, left-padded with ones, into all of <paramref name="destination"/>.</summary>
    public static void Aligned(Shape s, Span<int> destination)
    {
        int rank = destination.Length;
        for (int i = 0; i < rank; i++) destination[i] = DimensionFromRight(s, rank - 1 - i);
    }
}
