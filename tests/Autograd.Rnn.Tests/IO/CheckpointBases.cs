using System.Buffers.Binary;
using System.Text.Json;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Valid checkpoints the fuzz tests corrupt, built in memory with the library's own header writer, each with the
/// header as an editable model (so JSON edits can produce what no writer would: duplicate keys, wrong types, …).
/// </summary>
public sealed class CheckpointBase
{
    private CheckpointBase(string label, byte[] header, byte[] data, HeaderModel model, Params<float> shapes, Params<double> values)
    {
        Label = label;
        Data = data;
        Model = model;
        Shapes = shapes;
        Values = values;
        File = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(File, (ulong)header.Length);
        header.CopyTo(File, 8);
        data.CopyTo(File, 8 + header.Length);
    }

    public string Label { get; }

    /// <summary>The whole valid file.</summary>
    public byte[] File { get; }

    /// <summary>The data buffer (after the header).</summary>
    public byte[] Data { get; }

    public int HeaderEnd => File.Length - Data.Length;

    /// <summary>The header as members in file order; edits work on a copy (<see cref="HeaderModel.Clone"/>).</summary>
    public HeaderModel Model { get; }

    /// <summary>Zeros with the file's names and shapes, in file order: what a caller passes as <c>expected</c>.</summary>
    public Params<float> Shapes { get; }

    /// <summary>The values stored, widened to double (exact for F32).</summary>
    public Params<double> Values { get; }

    public static readonly IReadOnlyList<CheckpointBase> All =
    [
        Create("float with metadata", Params<float>.Empty
            .Add("weight_ih_l0", Tensor.RandomNormal<float>([4, 3], seed: 5))
            .Add("bias_ih_l0", Tensor.RandomNormal<float>([4], seed: 6))
            .Add("empty", Tensor.Zeros<float>(0, 2))
            .Add("scale", Tensor.Scalar(2f)), new Dictionary<string, string> { ["epoch"] = "7", ["note"] = "λ" }),
        Create("double", Params<double>.Empty
            .Add("a", Tensor.RandomNormal<double>([2, 3], seed: 7))
            .Add("b", Tensor.FromArray([double.NaN, double.NegativeInfinity, -0.0, double.Epsilon, 1e308], [5])), null),
        Create("special floats", Params<float>.Empty
            .Add("x", Tensor.FromArray([BitConverter.Int32BitsToSingle(0x7FA00001), float.PositiveInfinity, -0f, float.Epsilon, 3f, -1f], [2, 3])), null),
        Create("empty", Params<float>.Empty, null),
    ];

    private static CheckpointBase Create<T>(string label, Params<T> parameters, Dictionary<string, string>? metadata)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        byte[] header = SafetensorsWriter.BuildHeader(parameters, metadata);
        int size = typeof(T) == typeof(double) ? 8 : 4;
        var data = new List<byte>();
        var model = new HeaderModel();
        if (metadata is not null)
            model.Members.Add(new Member(Quote("__metadata__"), null, JsonSerializer.Serialize(metadata)));
        long offset = 0;
        var shapes = Params<float>.Empty;
        var values = Params<double>.Empty;
        foreach (var (name, tensor) in parameters)
        {
            var buffer = new byte[size * tensor.Size];
            var elements = tensor.ToArray();
            for (int i = 0; i < elements.Length; i++)
            {
                if (size == 8) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * i), double.CreateTruncating(elements[i]));
                else BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), float.CreateTruncating(elements[i]));
            }
            data.AddRange(buffer);
            model.Members.Add(new Member(Quote(name),
            [
                (Quote("dtype"), Quote(size == 8 ? "F64" : "F32")),
                (Quote("shape"), "[" + string.Join(",", tensor.Shape.Dimensions) + "]"),
                (Quote("data_offsets"), $"[{offset},{offset + buffer.Length}]"),
            ], null));
            offset += buffer.Length;
            shapes = shapes.Add(name, Tensor.Zeros<float>(tensor.Shape.ToArray()));
            values = values.Add(name, Tensor.FromArray(elements.Select(double.CreateTruncating).ToArray(), tensor.Shape.ToArray()));
        }
        return new CheckpointBase(label, header, data.ToArray(), model, shapes, values);
    }

    public static string Quote(string text) => JsonSerializer.Serialize(text);

    public override string ToString() => Label;
}

/// <summary>A top-level header member: a tensor entry as (key, value) fields of raw JSON, or any raw JSON value.</summary>
public sealed record Member(string Key, List<(string Key, string Value)>? Fields, string? Raw)
{
    public Member Copy() => this with { Fields = Fields is null ? null : [.. Fields] };

    public string? Field(string key) => Fields?.FirstOrDefault(f => f.Key == CheckpointBase.Quote(key)).Value;

    public void Set(string key, string value)
    {
        if (Fields is null) return;
        int at = Fields.FindIndex(f => f.Key == CheckpointBase.Quote(key));
        if (at >= 0) Fields[at] = (Fields[at].Key, value);
        else Fields.Add((CheckpointBase.Quote(key), value));
    }

    public string Render() => Key + ":" + (Fields is null ? Raw : "{" + string.Join(",", Fields.Select(f => f.Key + ":" + f.Value)) + "}");
}

/// <summary>A header as an ordered list of members, rendered to JSON text exactly as edited.</summary>
public sealed class HeaderModel
{
    public List<Member> Members { get; } = [];

    public HeaderModel Clone()
    {
        var copy = new HeaderModel();
        copy.Members.AddRange(Members.Select(m => m.Copy()));
        return copy;
    }

    public string Render() => "{" + string.Join(",", Members.Select(m => m.Render())) + "}";
}
