using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
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
        // Same directory, so the final rename never crosses file systems and is atomic; dot-prefixed so it stays out of the way.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
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

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes (as the reference writer does, for alignment).</summary>
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
                writer.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    if (key is null || value is null) throw new ArgumentException("Checkpoint.Save: metadata keys and values must not be null.", nameof(metadata));
                    RequireValidText(key, "metadata key", nameof(metadata));
                    RequireValidText(value, $"metadata value of '{key}'", nameof(metadata));
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in parameters)
            {
                if (name == SafetensorsHeader.MetadataKey)
                    throw new ArgumentException($"Checkpoint.Save: '{SafetensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(parameters));
                RequireValidText(name, "tensor name", nameof(parameters));
                long end = offset + (long)tensor.Size * elementSize;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", dtype);
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape.Span) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Refuses strings with unpaired surrogates: the JSON writer would silently store U+FFFD instead, and the tensor
    /// would come back under another name.
    /// </summary>
    private static void RequireValidText(string text, string what, string parameter)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != OperationStatus.Done)
                throw new ArgumentException($"Checkpoint.Save: the {what} '{text}' holds an unpaired surrogate (U+{(int)rest[0]:X4}), which UTF-8 cannot store.", parameter);
            rest = rest[consumed..];
        }
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
