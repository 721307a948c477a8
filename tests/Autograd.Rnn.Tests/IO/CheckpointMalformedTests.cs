using System.Text;

namespace Autograd.Rnn.Tests.IO;

/// <summary>Every way a file can break the safetensors format is refused with a CheckpointFormatException naming the problem and the path.</summary>
public sealed class CheckpointMalformedTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private CheckpointFormatException Refused(byte[] bytes)
    {
        string path = files.WriteBytes("bad.safetensors", bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load<float>(path));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Equal(path, error.Path);
        // The header-only readers validate just as strictly.
        Assert.Equal(error.Message, Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadMetadata(path)).Message);
        Assert.Equal(error.Message, Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadEntries(path)).Message);
        return error;
    }

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    public static TheoryData<string, int, string> BadHeaders => new()
    {
        // header, bytes of data after it, what the message must say
        { "[1,2]", 0, "not a JSON object: it starts with '['" },
        { " {}", 0, "not a JSON object" },
        { "{not json}", 0, "not valid JSON" },
        { "{\"a\":", 0, "not valid JSON" },
        { "{} x", 0, "not valid JSON" },
        { "{}{}", 0, "not valid JSON" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],}}", 4, "not valid JSON" },
        { "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w': the entry has no \"dtype\"" },
        { "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "the entry has no \"shape\"" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "the entry has no \"data_offsets\"" },
        { "{\"w\":{}}", 0, "the entry has no \"dtype\", \"shape\", \"data_offsets\"" },
        { "{\"w\":[1]}", 0, "tensor 'w': the entry is an array" },
        { "{\"w\":\"F32\"}", 0, "tensor 'w': the entry is a string" },
        { "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "\"dtype\" is a number" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4, "\"shape\" is a string" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "\"shape\" holds 1.5, which is not an integer" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", 4, "\"shape\" holds a string" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{\"begin\":0}}}", 4, "\"data_offsets\" is an object" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4, "\"data_offsets\" has 3 entries" },
        { "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "\"dtype\" appears twice" },
        { "{" + Entry("w", "F16", "[2]", "[0,4]") + "}", 4, "tensor 'w' has unsupported dtype 'F16'; this library reads F32 and F64 only" },
        { "{" + Entry("w", "BF16", "[2]", "[0,4]") + "}", 4, "unsupported dtype 'BF16'" },
        { "{" + Entry("w", "I64", "[1]", "[0,8]") + "}", 8, "unsupported dtype 'I64'" },
        { "{" + Entry("w", "F99", "[1]", "[0,4]") + "}", 4, "unknown dtype 'F99'" },
        { "{" + Entry("w", "f32", "[1]", "[0,4]") + "}", 4, "unknown dtype 'f32'" },
        { "{" + Entry("w", "F32", "[2,-2]", "[0,0]") + "}", 0, "shape [2,-2] has a negative entry -2 at dimension 1" },
        { "{" + Entry("w", "F32", "[65536,65536]", "[0,4]") + "}", 4, "more than 2147483647 elements" },
        { "{" + Entry("w", "F32", "[1]", "[4,0]") + "}", 4, "data_offsets [4, 0] are reversed" },
        { "{" + Entry("w", "F32", "[1]", "[-4,0]") + "}", 4, "negative offset" },
        { "{" + Entry("w", "F32", "[1]", "[0,4]") + "}", 2, "data_offsets [0, 4] run past the end of the data buffer (2 bytes)" },
        { "{" + Entry("w", "F32", "[1]", "[0,99999999999999999999]") + "}", 4, "not an integer in range" },
        { "{" + Entry("w", "F32", "[3]", "[0,8]") + "}", 8, "span 8 bytes, but dtype F32 with shape [3] needs 12 bytes" },
        { "{" + Entry("w", "F64", "[1]", "[0,4]") + "}", 4, "dtype F64 with shape [1] needs 8 bytes" },
        { "{" + Entry("a", "F32", "[2]", "[0,8]") + "," + Entry("b", "F32", "[2]", "[4,12]") + "}", 12, "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])" },
        { "{" + Entry("a", "F32", "[1]", "[0,4]") + "," + Entry("b", "F32", "[1]", "[8,12]") + "}", 12, "tensor 'b' starts at byte 8 of the data buffer, leaving a gap of 4 bytes after tensor 'a'" },
        { "{" + Entry("a", "F32", "[1]", "[4,8]") + "}", 8, "leaving a gap of 4 bytes after the start of the buffer" },
        { "{" + Entry("a", "F32", "[1]", "[0,4]") + "," + Entry("z", "F32", "[0]", "[2,2]") + "}", 4, "tensor 'z' (data_offsets [2, 2]) overlaps tensor 'a'" },
        { "{" + Entry("w", "F32", "[1]", "[0,4]") + "}", 12, "the data buffer is 12 bytes long but the tensors cover only 4: 8 trailing bytes belong to no tensor" },
        { "{}", 3, "3 trailing bytes belong to no tensor" },
        { "{" + Entry("w", "F32", "[1]", "[0,4]") + "," + Entry("w", "F32", "[1]", "[4,8]") + "}", 8, "the name 'w' appears twice" },
        { "{" + Entry("", "F32", "[1]", "[0,4]") + "}", 4, "a tensor it cannot read: the tensor name is empty" },
        { "{\"lone\\ud800x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "a string that is not valid Unicode text" },
        { "{\"__metadata__\":{\"k\":\"\\udc00\"}}", 0, "a string that is not valid Unicode text" },
        { "{\"__metadata__\":[\"a\"]}", 0, "\"__metadata__\" is an array; it must be an object of strings" },
        { "{\"__metadata__\":{\"epoch\":3}}", 0, "metadata value 'epoch' is a number; metadata values must be strings" },
        { "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, "the metadata key 'a' appears twice" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, "the name '__metadata__' appears twice" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":" + new string('[', 40) + new string(']', 40) + "}}", 4, "not valid JSON" },
        { "{\"w\":{\"dtype\":\"F32\" /* c */,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_malformed_header_is_refused_naming_the_problem(string header, int dataLength, string expected)
    {
        var error = Refused(CheckpointFiles.Assemble(header, new byte[dataLength]));
        Assert.Contains(expected, error.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void A_file_shorter_than_8_bytes_is_refused(int length)
    {
        var error = Refused(new byte[length]);
        Assert.Contains($"the file is {length} bytes long, shorter than the 8-byte header length", error.Problem);
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_refused()
    {
        var error = Refused(CheckpointFiles.Assemble("{}", [], declaredLength: 100));
        Assert.Contains("the header length 100 bytes runs past the end of the file (only 2 bytes follow it)", error.Problem);
    }

    [Theory]
    [InlineData(100UL * 1024 * 1024 + 1)]
    [InlineData(ulong.MaxValue)]
    [InlineData(0x7B_22_61_22_3A_7B_22_64UL)] // a JSON text with no length prefix: '{"a":{"d' read as a length
    public void An_absurd_header_length_is_refused(ulong declared)
    {
        var error = Refused(CheckpointFiles.Assemble("{}", [], declaredLength: declared));
        Assert.Contains($"the header length {declared} bytes is over the limit of 104857600 bytes (100 MB)", error.Problem);
    }

    [Fact]
    public void An_empty_header_is_refused()
    {
        Assert.Contains("the header is empty", Refused(CheckpointFiles.Assemble("", [])).Problem);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_refused_with_the_byte_position()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\xff\":{}}");
        header[3] = 0xFF; // replace the encoded ÿ's first byte with an invalid lead byte
        var error = Refused(CheckpointFiles.Assemble(header, []));
        Assert.Contains("the header is not valid UTF-8 (invalid byte sequence at header byte 3, byte 11 of the file)", error.Problem);
    }

    [Fact]
    public void Nul_padding_is_not_space_padding_and_is_refused()
    {
        var error = Refused(CheckpointFiles.Assemble("{}\0\0\0\0\0\0", []));
        Assert.Contains("not valid JSON", error.Problem);
    }

    [Fact]
    public void A_truncated_file_is_refused_as_truncated()
    {
        string path = files.PathOf("good.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("w", Tensor.Ones<float>(4)).Add("b", Tensor.Ones<float>(2)));
        var bytes = File.ReadAllBytes(path);
        var error = Refused(bytes[..^3]);
        Assert.Contains("tensor 'b': data_offsets [16, 24] run past the end of the data buffer (21 bytes): the file is truncated", error.Problem);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such_not_as_a_format_error()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load<float>(files.PathOf("absent.safetensors")));
    }
}
