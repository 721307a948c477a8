using System.Buffers;
using System.Text;

namespace Autograd.Rnn;

/// <summary>
/// What a checkpoint may hold, in one place: the loader refuses a file that breaks these rules and the writer refuses
/// to write one, so <see cref="Checkpoint.Save{T}"/> never produces a file <see cref="Checkpoint.Load{T}(string, bool)"/>
/// would refuse. Each check returns null when the value is fine, otherwise the problem in words.
/// </summary>
internal static class SafetensorsLimits
{
    /// <summary>The largest header accepted (the reference implementation's limit): anything longer is a damaged length.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>The key of the metadata object, which no tensor may use as its name.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Why <paramref name="name"/> cannot name a tensor in a file, or null if it can.</summary>
    public static string? TensorNameProblem(string name) =>
        name.Length == 0 ? "the tensor name is empty"
        : name == MetadataKey ? $"'{MetadataKey}' is reserved for metadata and cannot name a tensor"
        : TextProblem(name, "tensor name");

    /// <summary>
    /// Why <paramref name="text"/> cannot be stored as a header string: an unpaired surrogate has no UTF-8 form (a
    /// writer would store U+FFFD instead, and the tensor would come back under another name; a reader refuses it).
    /// </summary>
    public static string? TextProblem(string text, string what)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != OperationStatus.Done)
                return $"the {what} '{text}' holds an unpaired surrogate (U+{(int)rest[0]:X4}), which UTF-8 cannot store";
            rest = rest[consumed..];
        }
        return null;
    }

    /// <summary>
    /// Why a tensor of <paramref name="shape"/> cannot be held (the same limits as <see cref="Shape"/>'s constructor:
    /// no negative dimension, every dimension and running product of dimensions within an int).
    /// </summary>
    public static string? ShapeProblem(ReadOnlySpan<long> shape)
    {
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) return $"shape [{string.Join(",", shape.ToArray())}] has a negative entry {shape[i]} at dimension {i}";
            if (shape[i] > int.MaxValue || (count *= shape[i]) > int.MaxValue)
                return $"shape [{string.Join(",", shape.ToArray())}] has more than {int.MaxValue} elements, more than a tensor here can hold";
        }
        return null;
    }

    /// <summary>Why a header of <paramref name="length"/> bytes (after padding) cannot be read back, or null.</summary>
    public static string? HeaderLengthProblem(ulong length) =>
        length > MaxHeaderBytes ? $"the header length {length} bytes is over the limit of {MaxHeaderBytes} bytes (100 MB)" : null;
}
