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
