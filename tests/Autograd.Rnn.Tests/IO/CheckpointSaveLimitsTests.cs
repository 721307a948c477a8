using System.Collections;

namespace Autograd.Rnn.Tests.IO;

/// <summary>Save refuses what Load would refuse (the rules live in one place, SafetensorsLimits), and writes nothing then.</summary>
public sealed class CheckpointSaveLimitsTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private static readonly Params<float> OneTensor = Params<float>.Empty.Add("w", Tensor.Ones<float>(2));

    private static string Entry(string rawName) => $"{rawName}:{{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /// <summary>Each row: what Save is given, and the file holding the same thing written by hand (JSON escapes).</summary>
    public static TheoryData<string, Params<float>, IReadOnlyDictionary<string, string>?, string> Refused => new()
    {
        { "a tensor named like the metadata key", Params<float>.Empty.Add("__metadata__", Tensor.Ones<float>(2)), null, "{" + Entry("\"__metadata__\"") + "}" },
        { "a name with a lone surrogate", Params<float>.Empty.Add("a\uD800", Tensor.Ones<float>(2)), null, "{" + Entry("\"a\\ud800\"") + "}" },
        { "a metadata key with a lone surrogate", OneTensor, new Dictionary<string, string> { ["\uDC00"] = "v" }, "{\"__metadata__\":{\"\\udc00\":\"v\"}," + Entry("\"w\"") + "}" },
        { "a metadata value with a lone surrogate", OneTensor, new Dictionary<string, string> { ["k"] = "\uD800" }, "{\"__metadata__\":{\"k\":\"\\ud800\"}," + Entry("\"w\"") + "}" },
        { "a metadata key enumerated twice", OneTensor, new RepeatingDictionary("k"), "{\"__metadata__\":{\"k\":\"v\",\"k\":\"v\"}," + Entry("\"w\"") + "}" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_load_refuses_save_refuses_before_writing(string what, Params<float> parameters, IReadOnlyDictionary<string, string>? metadata, string handWritten)
    {
        string path = files.PathOf("model.safetensors");
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, parameters, metadata));
        Assert.Contains("Checkpoint.Load would refuse such a file", error.Message);
        Assert.Empty(files.OtherFiles());
        string byHand = files.Write("by-hand.safetensors", handWritten, new byte[8]);
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load<float>(byHand));
        _ = what;
    }

    [Fact]
    public void Metadata_making_the_header_one_byte_too_long_is_refused_and_one_that_fits_exactly_round_trips()
    {
        // {"__metadata__":{"k":"…"}} is 25 bytes plus the value: this value makes the header exactly the 100 MB limit.
        const int exact = (int)SafetensorsLimits.MaxHeaderBytes - 25;
        string path = files.PathOf("big.safetensors");
        var tooLong = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, Params<float>.Empty, new Dictionary<string, string> { ["k"] = new string('a', exact + 1) }));
        Assert.Contains("over the limit of 104857600 bytes", tooLong.Message);
        Assert.Empty(files.OtherFiles());

        Checkpoint.Save(path, Params<float>.Empty, new Dictionary<string, string> { ["k"] = new string('a', exact) });
        Assert.Equal(8 + SafetensorsLimits.MaxHeaderBytes, new FileInfo(path).Length);
        Assert.Equal(exact, Checkpoint.ReadMetadata(path)["k"].Length);
    }

    [Fact]
    public void Huge_escaped_metadata_is_refused_while_the_header_grows()
    {
        // Control characters are written as \u0001, six bytes each: 20 M of them would be a 120 MB header.
        var metadata = new Dictionary<string, string> { ["k"] = new string('\u0001', 20_000_000) };
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(files.PathOf("m.safetensors"), OneTensor, metadata));
        Assert.Contains("over the limit", error.Message);
        Assert.Empty(files.OtherFiles());
    }

    [Fact]
    public void A_header_length_over_the_limit_is_refused_by_load_before_the_file_length_is_considered()
    {
        string path = files.Write("claims.safetensors", "{}", [], declaredLength: (ulong)SafetensorsLimits.MaxHeaderBytes + 8);
        Assert.Contains("over the limit", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load<float>(path)).Problem);
    }

    /// <summary>An IReadOnlyDictionary that enumerates the same key twice, as a faulty caller's type could.</summary>
    private sealed class RepeatingDictionary(string key) : IReadOnlyDictionary<string, string>
    {
        public string this[string k] => "v";
        public IEnumerable<string> Keys => [key, key];
        public IEnumerable<string> Values => ["v", "v"];
        public int Count => 2;
        public bool ContainsKey(string k) => k == key;
        public bool TryGetValue(string k, out string value) { value = "v"; return k == key; }
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() { yield return new(key, "v"); yield return new(key, "v"); }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
