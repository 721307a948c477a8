using System.Buffers.Binary;
using System.Text;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Conformance with the safetensors specification, checked against bytes built by hand (TorchSharp 0.107.0 has no
/// safetensors reader or writer, so libtorch cannot serve as the reference): files written by the specification
/// are read, and files we write decode, byte by byte, to the specification's layout.
/// </summary>
public sealed class CheckpointSpecificationTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_hand_built_F32_file_is_read_in_data_offset_order()
    {
        // Header keys in a different order from the data, as Python's writer (which sorts by dtype then name) may produce.
        string header = """{"bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        var data = CheckpointFiles.LittleEndian(1f, 2f, 3f, 4f, 5f, 6f, -0.5f, 0.25f);
        var p = Checkpoint.Load<float>(files.Write("hand.safetensors", header, data));

        Assert.Equal(["weight", "bias"], p.Names);
        Assert.Equal(new Shape(2, 3), p["weight"].Shape);
        Assert.Equal(new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } }, p["weight"].ToArray2D()); // row-major
        Assert.Equal([-0.5f, 0.25f], p["bias"].ToArray());
    }

    [Fact]
    public void A_hand_built_F64_file_with_metadata_and_space_padding_is_read()
    {
        string header = """{"__metadata__":{"format":"pt"},"x":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}""" + new string(' ', 13);
        var path = files.Write("f64.safetensors", header, CheckpointFiles.LittleEndian(Math.PI));
        Assert.Equal(Math.PI, Checkpoint.Load<double>(path)["x"].Item);
        Assert.Equal("pt", Checkpoint.ReadMetadata(path)["format"]);
    }

    [Fact]
    public void Whitespace_inside_the_header_json_and_unknown_entry_keys_are_accepted()
    {
        string header = "{\n  \"w\" : { \"shape\" : [ 1 ] , \"data_offsets\" : [ 0 , 4 ], \"dtype\" : \"F32\", \"note\": {\"x\": [1, 2]} }\n}   ";
        Assert.Equal([1.5f], Checkpoint.Load<float>(files.Write("ws.safetensors", header, CheckpointFiles.LittleEndian(1.5f)))["w"].ToArray());
    }

    [Fact]
    public void Escaped_unicode_names_in_the_header_are_decoded()
    {
        string header = """{"caf\u00e9.w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
        Assert.Equal(["café.w"], Checkpoint.Load<float>(files.Write("esc.safetensors", header, CheckpointFiles.LittleEndian(1f))).Names);
    }

    [Fact]
    public void What_we_write_decodes_by_hand_to_the_specified_layout()
    {
        var p = Params<float>.Empty
            .Add("weight_ih_l0", Tensor.FromArray([1f, -2f, 3.5f, float.NaN, float.NegativeInfinity, -0f], 2, 3))
            .Add("bias_ih_l0", Tensor.FromArray([0.125f, 1e-40f]))
            .Add("scale", Tensor.Scalar(42f));
        string path = files.PathOf("ours.safetensors");
        Checkpoint.Save(path, p, new Dictionary<string, string> { ["epoch"] = "3" });
        var bytes = File.ReadAllBytes(path);

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(
            """{"__metadata__":{"epoch":"3"},"weight_ih_l0":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}""" +
            ""","bias_ih_l0":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"scale":{"dtype":"F32","shape":[],"data_offsets":[32,36]}}""",
            header.TrimEnd(' '));
        Assert.Equal(0UL, n % 8);

        var expectedData = CheckpointFiles.LittleEndian(1f, -2f, 3.5f, float.NaN, float.NegativeInfinity, -0f, 0.125f, 1e-40f, 42f);
        Assert.Equal(expectedData, bytes[(8 + (int)n)..]);
    }

    [Fact]
    public void What_we_write_for_doubles_decodes_by_hand_to_F64_little_endian()
    {
        string path = files.PathOf("d.safetensors");
        Checkpoint.Save(path, Params<double>.Empty.Add("w", Tensor.FromArray([1.0 / 3, -1e300])));
        var bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal("""{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}""", Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' '));
        Assert.Equal(CheckpointFiles.LittleEndian(1.0 / 3, -1e300), bytes[(8 + n)..]);
    }

    [Fact]
    public void Non_ascii_names_are_written_as_raw_utf8()
    {
        string path = files.PathOf("u.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("couche.poids_é", Tensor.Ones<float>(1)));
        var bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.StartsWith("""{"couche.poids_é":""", Encoding.UTF8.GetString(bytes, 8, n));
    }

    [Fact]
    public void ReadEntries_reports_names_dtypes_shapes_and_byte_ranges()
    {
        string header = """{"b":{"dtype":"F64","shape":[1],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
        var path = files.Write("entries.safetensors", header, [.. CheckpointFiles.LittleEndian(1f), .. CheckpointFiles.LittleEndian(2.0)]);
        Assert.Equal(
            [new CheckpointEntry("a", "F32", new Shape(1), 0, 4), new CheckpointEntry("b", "F64", new Shape(1), 4, 12)],
            Checkpoint.ReadEntries(path));
    }
}
