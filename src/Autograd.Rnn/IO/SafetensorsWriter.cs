using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Autograd.Rnn;

/// <summary>Writes safetensors files atomically: a temporary file beside the target, flushed to disk, then renamed over it.</summary>
internal static class SafetensorsWriter
{
    /// <summary>The safetensors dtype of <typeparamref name="T"/>: F32 for float, F64 for double.</summary>
    public static string Dtype<T>() where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float) ? "F32" : "F64";

    /// <summary>
    /// Writes <paramref name="parameters"/> to <paramref name="path"/> so that the file there is always either the
    /// previous one or the complete new one. <paramref name="wrapStream"/> lets tests put a failing stream between
    /// the writer and the file.
    /// </summary>
    public static void Write<T>(string path, Params<T> parameters, IReadOnlyDictionary<string, string>? metadata,
        Func<Stream, Stream>? wrapStream = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        // The header is built before any file is touched: a bad name or metadata entry fails with nothing on disk.
        byte[] header = BuildHeader(parameters, metadata);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"Checkpoint.Save: '{path}' is not a file path.", nameof(path));
        string fileName = Path.GetFileName(fullPath);
        // Before writing: a killed save of a large checkpoint may have left enough behind to fill the disk.
        RemoveStaleTemporaries(directory, fileName);
        // Same directory, so the final rename never crosses file systems and is atomic; dot-prefixed so it stays out of the way.
        string temporary = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            // FileShare.None is also the lock that keeps RemoveStaleTemporaries away from this file while it is written.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                var stream = wrapStream is null ? file : wrapStream(file);
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, tensor) in parameters) WriteValues(stream, tensor.Value.Span);
                stream.Flush();
                file.Flush(flushToDisk: true); // the bytes must be on disk before the rename makes them the checkpoint
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); }
            catch (IOException) { } // best effort: the original exception is the one worth reporting
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>How old a temporary file must be (last written) before another save may delete it; see <see cref="RemoveStaleTemporaries"/>.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Deletes the temporary files an interrupted save to <paramref name="fileName"/> left in <paramref name="directory"/>
    /// (a process killed between creating its temporary file and renaming it never reaches its own clean-up), and
    /// returns how many. Best effort: it never throws, and it deletes a file only when all of these hold:
    /// <list type="bullet">
    /// <item>its name is exactly this writer's pattern for this target, <c>.{fileName}.{32 lowercase hex digits}.tmp</c>;</item>
    /// <item>it was last written at least <see cref="StaleAfter"/> ago;</item>
    /// <item>it can be opened exclusively. A save in progress, in this process or another, holds its temporary file open
    /// with <see cref="FileShare.None"/> until the rename (on Windows a share mode, on Unix an advisory <c>flock</c> that
    /// .NET takes and the kernel releases when the process dies), so a live save is never touched, however slow its
    /// write or flush. The age rule covers the instants the file is unlocked while its owner is alive — on Unix between
    /// <c>open</c> and <c>flock</c>, and on every system between closing the file and renaming it — when it has just
    /// been written; and it still protects a live save where file locking is unavailable
    /// (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>), since every write refreshes the file's time.</item>
    /// </list>
    /// The file is deleted through the exclusive handle (<see cref="FileOptions.DeleteOnClose"/>), so nobody can take it between the check and the deletion.
    /// </summary>
    internal static int RemoveStaleTemporaries(string directory, string fileName)
    {
        int removed = 0;
        try
        {
            // Dot-files count as hidden on Unix, which enumeration skips by default; the exact pattern is checked below,
            // so the search pattern stays free of the target's own characters.
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, MatchType = MatchType.Simple };
            foreach (string candidate in Directory.EnumerateFiles(directory, "*.tmp", options).ToList())
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), fileName)) continue;
                try
                {
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) < StaleAfter) continue;
                    using (new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose)) { }
                    removed++;
                }
                catch (IOException) { } // locked by a save in progress, or already renamed or removed by its owner
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>Whether <paramref name="name"/> is exactly a temporary file name <see cref="Write{T}"/> uses for <paramref name="fileName"/>.</summary>
    internal static bool IsTemporaryOf(string name, string fileName)
    {
        const int hexDigits = 32; // Guid "N" format
        string prefix = "." + fileName + ".";
        if (name.Length != prefix.Length + hexDigits + ".tmp".Length || !name.StartsWith(prefix, StringComparison.Ordinal) ||
            !name.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        foreach (char c in name.AsSpan(prefix.Length, hexDigits))
            if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    /// <summary>
    /// The JSON header, padded with spaces to a multiple of 8 bytes (as the reference writer does, for alignment).
    /// Refuses, with an <see cref="ArgumentException"/>, anything the loader would refuse (<see cref="SafetensorsLimits"/>).
    /// </summary>
    internal static byte[] BuildHeader<T>(Params<T> parameters, IReadOnlyDictionary<string, string>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string dtype = Dtype<T>();
        int elementSize = SafetensorsHeader.ElementSize(dtype);
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names readable (raw UTF-8) while still escaping quotes and control characters.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                writer.WriteStartObject(SafetensorsLimits.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    if (key is null || value is null) throw new ArgumentException("Checkpoint.Save: metadata keys and values must not be null.", nameof(metadata));
                    Require(SafetensorsLimits.TextProblem(key, "metadata key"), nameof(metadata));
                    Require(SafetensorsLimits.TextProblem(value, $"metadata value of '{key}'"), nameof(metadata));
                    // A dictionary cannot repeat a key, but an IReadOnlyDictionary of the caller's making can enumerate one twice.
                    if (!keys.Add(key)) Require($"the metadata key '{key}' appears twice", nameof(metadata));
                    writer.WriteString(key, value);
                    RequireHeaderLength(writer, nameof(metadata)); // checked as it grows, so a huge value fails without a huge header
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            // Names are unique: Params refuses a repeated name, and SaveGroups refuses two groups storing the same one.
            foreach (var (name, tensor) in parameters)
            {
                Require(SafetensorsLimits.TensorNameProblem(name), nameof(parameters));
                var dimensions = tensor.Shape.Span;
                var shape = new long[dimensions.Length];
                for (int i = 0; i < shape.Length; i++) shape[i] = dimensions[i];
                if (SafetensorsLimits.ShapeProblem(shape) is { } badShape) Require($"tensor '{name}': {badShape}", nameof(parameters));
                long end = offset + (long)tensor.Size * elementSize;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtype);
                writer.WriteStartArray("shape");
                foreach (long d in shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
                RequireHeaderLength(writer, nameof(parameters));
            }
            writer.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        Require(SafetensorsLimits.HeaderLengthProblem((ulong)padded), nameof(metadata));
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void RequireHeaderLength(Utf8JsonWriter writer, string parameter) =>
        Require(SafetensorsLimits.HeaderLengthProblem((ulong)(writer.BytesCommitted + writer.BytesPending)), parameter);

    /// <summary>Throws when there is a <paramref name="problem"/>: Load would refuse the file, so Save does not write it.</summary>
    private static void Require(string? problem, string parameter)
    {
        if (problem is not null)
            throw new ArgumentException($"Checkpoint.Save: {problem}; Checkpoint.Load would refuse such a file, so nothing was written.", parameter);
    }

    private static void WriteValues<T>(Stream stream, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // In chunks: a tensor's bytes can exceed the 2 GB a Span<byte> can address (up to int.MaxValue doubles).
        for (int start = 0; start < values.Length; start += Endianness.ChunkElements)
        {
            var bytes = MemoryMarshal.AsBytes(values.Slice(start, Math.Min(Endianness.ChunkElements, values.Length - start)));
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(bytes);
                continue;
            }
            var copy = bytes.ToArray(); // the format is little-endian whatever the machine
            Endianness.Swap(copy, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            stream.Write(copy);
        }
    }
}
