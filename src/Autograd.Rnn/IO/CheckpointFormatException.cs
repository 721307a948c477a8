namespace Autograd.Rnn;

/// <summary>
/// A checkpoint file is not a valid safetensors file (or is one this library cannot read, such as one holding
/// <c>F16</c> tensors). The message starts with the file's path and says exactly what is wrong.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>; the message is <c>"{path}: {problem}"</c>.</summary>
    public CheckpointFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The path of the file that was read.</summary>
    public string Path { get; }

    /// <summary>What is wrong with the file, without the path.</summary>
    public string Problem { get; }
}
