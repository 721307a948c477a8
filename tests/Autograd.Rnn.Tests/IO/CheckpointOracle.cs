using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Autograd.Rnn.Tests.IO;

/// <summary>One tensor as the oracle reads it from the bytes: the values are the raw little-endian elements.</summary>
public sealed record OracleTensor(string Name, string Dtype, int[] Shape, long Begin, long End, double[] Values, float[] Singles);

/// <summary>
/// An independent reading of a safetensors file, written from the format's specification with
/// <see cref="JsonDocument"/> instead of our streaming reader: it says whether the bytes are a valid file this library
/// must accept, and if so what every tensor holds. The fuzz tests hold <see cref="Checkpoint"/> to it both ways:
/// a file the oracle accepts must load to exactly these values, a file it refuses must be refused.
/// </summary>
public sealed class CheckpointOracle
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private CheckpointOracle(string? refusal, IReadOnlyList<OracleTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Refusal = refusal;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Why the bytes are not a valid file (null when they are).</summary>
    public string? Refusal { get; }

    public bool IsValid => Refusal is null;

    /// <summary>The tensors in data-offset order (ties in header order), when valid.</summary>
    public IReadOnlyList<OracleTensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    private static CheckpointOracle Refuse(string why) => new(why, [], new Dictionary<string, string>());

    public static CheckpointOracle Read(byte[] file)
    {
        if (file.Length < 8) return Refuse("shorter than 8 bytes");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (n > MaxHeaderBytes) return Refuse("header length over 100 MB");
        if ((long)n > file.Length - 8) return Refuse("header length past the end");
        var json = file.AsSpan(8, (int)n).ToArray();
        long dataStart = 8 + (long)n, bufferLength = file.Length - dataStart;
        if (json.Length == 0 || json[0] != (byte)'{') return Refuse("header does not start with '{'");
        try { _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(json); }
        catch (DecoderFallbackException) { return Refuse("header is not UTF-8"); }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException) { return Refuse("not JSON"); }

        using (document)
        {
            try { return Read(file, document.RootElement, dataStart, bufferLength); }
            catch (InvalidOperationException) { return Refuse("a string is not valid Unicode"); } // GetString on a lone surrogate escape
        }
    }

    private static CheckpointOracle Read(byte[] file, JsonElement root, long dataStart, long bufferLength)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<OracleTensor>();
        foreach (var member in root.EnumerateObject())
        {
            if (!names.Add(member.Name)) return Refuse("duplicate name");
            if (member.Name == "__metadata__")
            {
                if (member.Value.ValueKind != JsonValueKind.Object) return Refuse("metadata is not an object");
                foreach (var item in member.Value.EnumerateObject())
                {
                    if (item.Value.ValueKind != JsonValueKind.String) return Refuse("metadata value is not a string");
                    if (!metadata.TryAdd(item.Name, item.Value.GetString()!)) return Refuse("duplicate metadata key");
                }
                continue;
            }
            if (member.Name.Length == 0) return Refuse("empty name");
            if (member.Value.ValueKind != JsonValueKind.Object) return Refuse("entry is not an object");
            string? dtype = null;
            long[]? shape = null, offsets = null;
            foreach (var field in member.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "dtype":
                        if (dtype is not null) return Refuse("dtype twice");
                        if (field.Value.ValueKind != JsonValueKind.String) return Refuse("dtype is not a string");
                        dtype = field.Value.GetString()!;
                        break;
                    case "shape":
                        if (shape is not null) return Refuse("shape twice");
                        shape = Integers(field.Value);
                        if (shape is null) return Refuse("shape is not an array of integers");
                        break;
                    case "data_offsets":
                        if (offsets is not null) return Refuse("data_offsets twice");
                        offsets = Integers(field.Value);
                        if (offsets is null) return Refuse("data_offsets is not an array of integers");
                        break;
                }
            }
            if (dtype is null || shape is null || offsets is null) return Refuse("a field is missing");
            if (dtype is not ("F32" or "F64")) return Refuse("dtype other than F32/F64");
            long count = 1;
            foreach (long d in shape)
            {
                if (d < 0 || d > int.MaxValue) return Refuse("dimension out of range");
                count *= d;
                if (count > int.MaxValue) return Refuse("too many elements");
            }
            if (offsets.Length != 2) return Refuse("data_offsets is not [begin, end]");
            long begin = offsets[0], end = offsets[1];
            if (begin < 0 || begin > end || end > bufferLength) return Refuse("data_offsets out of range");
            int size = dtype == "F64" ? 8 : 4;
            if (end - begin != count * size) return Refuse("byte span does not match dtype and shape");
            tensors.Add(Values(file, member.Name, dtype, shape, dataStart, begin, end, (int)count));
        }
        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long covered = 0;
        foreach (var t in ordered)
        {
            if (t.Begin != covered) return Refuse("gap or overlap");
            covered = t.End;
        }
        if (covered != bufferLength) return Refuse("trailing bytes");
        return new CheckpointOracle(null, ordered, metadata);
    }

    private static long[]? Integers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) return null;
        var values = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value)) return null;
            values.Add(value);
        }
        return values.ToArray();
    }

    private static OracleTensor Values(byte[] file, string name, string dtype, long[] shape, long dataStart, long begin, long end, int count)
    {
        var values = new double[count];
        var singles = new float[count];
        int at = (int)(dataStart + begin);
        for (int i = 0; i < count; i++)
        {
            if (dtype == "F64")
            {
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan(at + 8 * i));
                singles[i] = (float)values[i];
            }
            else
            {
                singles[i] = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(at + 4 * i));
                values[i] = singles[i];
            }
        }
        return new OracleTensor(name, dtype, shape.Select(d => (int)d).ToArray(), begin, end, values, singles);
    }
}
