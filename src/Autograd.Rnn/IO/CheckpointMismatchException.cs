namespace Autograd.Rnn;

/// <summary>
/// A well-formed checkpoint does not hold what the caller asked for: names missing or unexpected, shapes that
/// differ from the model's, or an element type other than the one requested. The message lists every problem
/// at once, so one failed load tells the whole story.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public CheckpointMismatchException(
        string path, string message, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatchedShapes)
        : base($"{path}: {message}")
    {
        Path = path;
        Missing = missing;
        Unexpected = unexpected;
        MismatchedShapes = mismatchedShapes;
    }

    /// <summary>The path of the file that was read.</summary>
    public string Path { get; }

    /// <summary>Names the caller expected that the file does not hold.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Names the file holds that the caller did not expect.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Names present on both sides whose shapes differ.</summary>
    public IReadOnlyList<string> MismatchedShapes { get; }
}
