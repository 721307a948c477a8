using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Autograd.Rnn;

/// <summary>
/// The validated header of a safetensors file: its tensors in data-offset order and its metadata.
/// Everything the format's specification requires is checked here, before any value is read, and each violation
/// is a <see cref="CheckpointFormatException"/> naming it.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON (an object mapping tensor names
/// to <c>{"dtype", "shape", "data_offsets"}</c>, plus an optional <c>"__metadata__"</c> object of strings),
/// possibly padded with spaces; then the data buffer, which the tensors cover exactly, contiguously, row-major and
/// little-endian. The JSON is walked with <see cref="Utf8JsonReader"/> rather than deserialised, because a
/// deserialiser keeps the last of two equal keys silently and a duplicate name must be refused.
/// </remarks>
internal sealed class SafetensorsHeader
{
    private const string MetadataKey = SafetensorsLimits.MetadataKey;

    private static readonly string[] KnownDtypes =
        ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "E8M0", "F4", "F6_E2M3", "F6_E3M2",
         "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64"];

    private SafetensorsHeader(IReadOnlyList<CheckpointEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>The tensors, ordered by where their values lie in the data buffer.</summary>
    public IReadOnlyList<CheckpointEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings, in file order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file position of the data buffer's first byte: 8 + N.</summary>
    public long DataStart { get; }

    /// <summary>The size in bytes of one element of a dtype this library reads (F32, F64).</summary>
    public static int ElementSize(string dtype) => dtype == "F64" ? 8 : 4;

    /// <summary>Reads and validates the header of the file open in <paramref name="stream"/> (positioned at its start).</summary>
    public static SafetensorsHeader Read(string path, Stream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Fail(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length every safetensors file starts with.");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(path, stream, prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (SafetensorsLimits.HeaderLengthProblem(headerLength) is { } tooLong)
            throw Fail(path, $"{tooLong}: this is not a safetensors file or its first 8 bytes are damaged.");
        if ((long)headerLength > fileLength - 8)
            throw Fail(path, $"the header length {headerLength} bytes runs past the end of the file (only {fileLength - 8} bytes follow it): " +
                             "the file is truncated or is not a safetensors file.");
        var json = new byte[headerLength];
        ReadExactly(path, stream, json);
        long dataStart = 8 + (long)headerLength;
        return Parse(path, json, fileLength - dataStart, dataStart);
    }

    /// <summary>The length was checked first, so only a file cut while being read ends early: a format error, not an EndOfStreamException.</summary>
    private static void ReadExactly(string path, Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw Fail(path, "the file ended before its header did (truncated while being read?).", e);
        }
    }

    /// <summary>Validates header bytes against a data buffer of <paramref name="bufferLength"/> bytes.</summary>
    private static SafetensorsHeader Parse(string path, byte[] json, long bufferLength, long dataStart)
    {
        RequireUtf8(path, json);
        if (json.Length == 0 || json[0] != (byte)'{')
            throw Fail(path, json.Length == 0
                ? "the header is empty; it must be a JSON object."
                : $"the header is not a JSON object: it starts with {Describe(json[0])} instead of '{{'.");

        var entries = new List<CheckpointEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
            reader.Read(); // the '{' checked above
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = ReadString(path, ref reader);
                if (!seen.Add(name)) throw Fail(path, $"the name '{name}' appears twice in the header.");
                reader.Read();
                if (name == MetadataKey) ReadMetadata(path, ref reader, metadata);
                else entries.Add(ReadEntry(path, ref reader, name, bufferLength));
            }
            // Only whitespace (the spaces that pad a header) may follow the object; anything else makes Read throw.
            while (reader.Read()) { }
        }
        catch (JsonException e)
        {
            throw Fail(path, $"the header is not valid JSON: {e.Message}", e);
        }

        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList(); // stable: ties keep header order
        RequireExactCover(path, ordered, bufferLength);
        return new SafetensorsHeader(ordered.AsReadOnly(), metadata.AsReadOnly(), dataStart);
    }

    private static void RequireUtf8(string path, byte[] json)
    {
        var status = Utf8.ToUtf16(json, new char[json.Length], out int bytesRead, out _, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
            throw Fail(path, $"the header is not valid UTF-8 (invalid byte sequence at header byte {bytesRead}, byte {8 + bytesRead} of the file).");
    }

    private static void ReadMetadata(string path, ref Utf8JsonReader reader, Dictionary<string, string> metadata)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(path, $"\"{MetadataKey}\" is {Describe(reader.TokenType)}; it must be an object of strings.");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = ReadString(path, ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw Fail(path, $"metadata value '{key}' is {Describe(reader.TokenType)}; metadata values must be strings.");
            if (!metadata.TryAdd(key, ReadString(path, ref reader)))
                throw Fail(path, $"the metadata key '{key}' appears twice in the header.");
        }
    }

    private static CheckpointEntry ReadEntry(string path, ref Utf8JsonReader reader, string name, long bufferLength)
    {
        if (SafetensorsLimits.TensorNameProblem(name) is { } badName) throw Fail(path, $"the header holds a tensor it cannot read: {badName}.");
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(path, $"tensor '{name}': the entry is {Describe(reader.TokenType)}; it must be an object with \"dtype\", \"shape\" and \"data_offsets\".");
        string? dtype = null;
        long[]? shape = null, offsets = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = ReadString(path, ref reader);
            reader.Read();
            switch (key)
            {
                case "dtype":
                    if (dtype is not null) throw Fail(path, $"tensor '{name}': \"dtype\" appears twice.");
                    if (reader.TokenType != JsonTokenType.String)
                        throw Fail(path, $"tensor '{name}': \"dtype\" is {Describe(reader.TokenType)}; it must be a string such as \"F32\".");
                    dtype = ReadString(path, ref reader);
                    break;
                case "shape":
                    if (shape is not null) throw Fail(path, $"tensor '{name}': \"shape\" appears twice.");
                    shape = ReadIntegers(path, ref reader, name, "shape");
                    break;
                case "data_offsets":
                    if (offsets is not null) throw Fail(path, $"tensor '{name}': \"data_offsets\" appears twice.");
                    offsets = ReadIntegers(path, ref reader, name, "data_offsets");
                    break;
                default:
                    reader.Skip(); // unknown keys are ignored, as the reference implementation does
                    break;
            }
        }
        var absent = new List<string>();
        if (dtype is null) absent.Add("\"dtype\"");
        if (shape is null) absent.Add("\"shape\"");
        if (offsets is null) absent.Add("\"data_offsets\"");
        if (absent.Count > 0) throw Fail(path, $"tensor '{name}': the entry has no {string.Join(", ", absent)}.");
        return Check(path, name, dtype!, shape!, offsets!, bufferLength);
    }

    private static long[] ReadIntegers(string path, ref Utf8JsonReader reader, string name, string key)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Fail(path, $"tensor '{name}': \"{key}\" is {Describe(reader.TokenType)}; it must be an array of integers.");
        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw Fail(path, $"tensor '{name}': \"{key}\" holds {Describe(reader.TokenType)}; it must hold only integers.");
            if (!reader.TryGetInt64(out long value))
                throw Fail(path, $"tensor '{name}': \"{key}\" holds {Encoding.UTF8.GetString(reader.ValueSpan)}, which is not an integer in range.");
            values.Add(value);
        }
        return values.ToArray();
    }

    private static CheckpointEntry Check(string path, string name, string dtype, long[] shape, long[] offsets, long bufferLength)
    {
        if (dtype != "F32" && dtype != "F64")
            throw Fail(path, Array.IndexOf(KnownDtypes, dtype) >= 0
                ? $"tensor '{name}' has unsupported dtype '{dtype}'; this library reads F32 and F64 only."
                : $"tensor '{name}' has unknown dtype '{dtype}'; safetensors dtypes are {string.Join(", ", KnownDtypes)}, and this library reads F32 and F64.");
        if (SafetensorsLimits.ShapeProblem(shape) is { } badShape) throw Fail(path, $"tensor '{name}': {badShape}.");
        long count = 1;
        foreach (long d in shape) count *= d; // cannot overflow: ShapeProblem bounded every running product
        if (offsets.Length != 2)
            throw Fail(path, $"tensor '{name}': \"data_offsets\" has {offsets.Length} entries; it must be [begin, end].");
        long begin = offsets[0], end = offsets[1];
        string span = $"data_offsets [{begin}, {end}]";
        if (begin < 0 || end < 0) throw Fail(path, $"tensor '{name}': {span} has a negative offset.");
        if (begin > end) throw Fail(path, $"tensor '{name}': {span} are reversed (begin is after end).");
        if (end > bufferLength)
            throw Fail(path, $"tensor '{name}': {span} run past the end of the data buffer ({bufferLength} bytes): the file is truncated or the offsets are wrong.");
        long needed = count * ElementSize(dtype);
        if (end - begin != needed)
            throw Fail(path, $"tensor '{name}': {span} span {end - begin} bytes, but dtype {dtype} with shape [{string.Join(",", shape)}] needs {needed} bytes.");
        return new CheckpointEntry(name, dtype, new Shape(shape.Select(d => (int)d).ToArray()), begin, end);
    }

    private static void RequireExactCover(string path, List<CheckpointEntry> ordered, long bufferLength)
    {
        long covered = 0;
        CheckpointEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (entry.Begin > covered)
                throw Fail(path, $"tensor '{entry.Name}' starts at byte {entry.Begin} of the data buffer, leaving a gap of {entry.Begin - covered} bytes " +
                                 $"after {(previous is null ? "the start of the buffer" : $"tensor '{previous.Name}' (which ends at {covered})")}.");
            if (entry.Begin < covered)
                throw Fail(path, $"tensor '{entry.Name}' (data_offsets [{entry.Begin}, {entry.End}]) overlaps tensor '{previous!.Name}' " +
                                 $"(data_offsets [{previous.Begin}, {previous.End}]).");
            covered = entry.End;
            previous = entry;
        }
        if (covered < bufferLength)
            throw Fail(path, $"the data buffer is {bufferLength} bytes long but the tensors cover only {covered}: " +
                             $"{bufferLength - covered} trailing bytes belong to no tensor.");
    }

    /// <summary>
    /// The current string token; an escape that decodes to invalid UTF-16 (a lone <c>\ud800</c>) is a format error, not
    /// the <see cref="InvalidOperationException"/> the reader throws for it.
    /// </summary>
    private static string ReadString(string path, ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw Fail(path, $"the header holds a string that is not valid Unicode text ({e.Message}), at header byte {reader.TokenStartIndex}.", e);
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Describe(byte b) => b is >= 0x20 and < 0x7F ? $"'{(char)b}' (0x{b:X2})" : $"byte 0x{b:X2}";

    internal static CheckpointFormatException Fail(string path, string problem, Exception? inner = null) => new(path, problem, inner);
}
