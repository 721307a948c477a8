namespace Autograd.Rnn.Tests.IO;

/// <summary>Checkpoint.Save then Checkpoint.Load gives back the same names, order, shapes and bits.</summary>
public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private static void AssertBitIdentical<T>(Params<T> expected, Params<T> actual) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.Shape, actual[name].Shape);
            Assert.Equal(Bits(tensor.ToArray()), Bits(actual[name].ToArray()));
        }
    }

    private static long[] Bits<T>(T[] values) => values.Select(v => v switch
    {
        float f => BitConverter.SingleToInt32Bits(f),
        double d => BitConverter.DoubleToInt64Bits(d),
        _ => throw new NotSupportedException(),
    }).ToArray();

    [Fact]
    public void Float_parameters_round_trip_in_order()
    {
        var p = Params<float>.Empty
            .Add("weight_ih_l0", Tensor.RandomNormal<float>([8, 3], seed: 1))
            .Add("weight_hh_l0", Tensor.RandomNormal<float>([8, 2], seed: 2))
            .Add("bias_ih_l0", Tensor.RandomNormal<float>([8], seed: 3))
            .Add("a_last_but_alphabetically_first", Tensor.Scalar(7f));
        string path = files.PathOf("model.safetensors");
        Checkpoint.Save(path, p);
        AssertBitIdentical(p, Checkpoint.Load<float>(path));
        Assert.All(Checkpoint.ReadEntries(path), e => Assert.Equal("F32", e.Dtype));
    }

    [Fact]
    public void Double_parameters_round_trip_as_F64()
    {
        var p = Params<double>.Empty.Add("w", Tensor.RandomUniform<double>([2, 3, 4], seed: 9, low: -1, high: 1)).Add("b", Tensor.Zeros<double>(4));
        string path = files.PathOf("double.safetensors");
        Checkpoint.Save(path, p);
        AssertBitIdentical(p, Checkpoint.Load<double>(path));
        Assert.Equal(["F64", "F64"], Checkpoint.ReadEntries(path).Select(e => e.Dtype));
    }

    [Fact]
    public void Empty_params_round_trip_to_an_empty_collection()
    {
        string path = files.PathOf("empty.safetensors");
        Checkpoint.Save(path, Params<float>.Empty);
        Assert.Empty(Checkpoint.Load<float>(path));
        Assert.Empty(Checkpoint.ReadMetadata(path));
        Assert.Equal(8 + 8, new FileInfo(path).Length); // "{}" padded to 8 bytes, no data
    }

    [Fact]
    public void Scalars_and_zero_size_dimensions_round_trip_with_their_shapes()
    {
        var p = Params<double>.Empty
            .Add("scalar", Tensor.Scalar(-2.5))
            .Add("empty_rows", Tensor.Zeros<double>(0, 3))
            .Add("empty_vector", Tensor.Zeros<double>(0))
            .Add("between", Tensor.FromArray([1.0, 2.0], 2, 1))
            .Add("empty_cols", Tensor.Zeros<double>(4, 0));
        string path = files.PathOf("shapes.safetensors");
        Checkpoint.Save(path, p);
        var loaded = Checkpoint.Load<double>(path);
        AssertBitIdentical(p, loaded);
        Assert.Equal(0, loaded["scalar"].Rank);
        Assert.Equal(-2.5, loaded["scalar"].Item);
    }

    [Fact]
    public void NaN_infinities_and_negative_zero_round_trip_bit_exactly()
    {
        float quietNaNWithPayload = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        float negativeNaN = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001));
        var floats = Params<float>.Empty.Add("special", Tensor.FromArray(
            [float.NaN, quietNaNWithPayload, negativeNaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, float.MaxValue]));
        double payload = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_BEEF);
        var doubles = Params<double>.Empty.Add("special", Tensor.FromArray(
            [double.NaN, payload, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon]));

        Checkpoint.Save(files.PathOf("f.safetensors"), floats);
        Checkpoint.Save(files.PathOf("d.safetensors"), doubles);
        AssertBitIdentical(floats, Checkpoint.Load<float>(files.PathOf("f.safetensors")));
        AssertBitIdentical(doubles, Checkpoint.Load<double>(files.PathOf("d.safetensors")));
    }

    [Fact]
    public void Metadata_round_trips_and_is_readable_without_loading_tensors()
    {
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "12", ["note"] = "quotes \" and \\ and\nnewlines, ünïcødé 🚀" };
        string path = files.PathOf("meta.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("w", Tensor.Ones<float>(2)), metadata);
        Assert.Equal(metadata, Checkpoint.ReadMetadata(path));
        Assert.Equal(["w"], Checkpoint.Load<float>(path).Names);
    }

    [Fact]
    public void Names_with_unicode_dots_and_json_special_characters_round_trip()
    {
        var p = Params<float>.Empty
            .Add("encoder.layers.0.weight_ih_l0", Tensor.Ones<float>(2))
            .Add("décodeur.偏置", Tensor.Full(2f, 1))
            .Add("emoji🚀\"quoted\"\\back\tslash", Tensor.Full(3f, 1))
            .Add("__metadata__x", Tensor.Full(4f, 1));
        string path = files.PathOf("names.safetensors");
        Checkpoint.Save(path, p);
        AssertBitIdentical(p, Checkpoint.Load<float>(path));
    }

    [Fact]
    public void The_header_is_padded_with_spaces_to_a_multiple_of_8_bytes()
    {
        string path = files.PathOf("padded.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("abc", Tensor.Ones<float>(3)));
        var bytes = File.ReadAllBytes(path);
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal((long)(8 + headerLength + 12), bytes.Length);
    }

    [Fact]
    public void Saving_over_an_existing_checkpoint_replaces_it()
    {
        string path = files.PathOf("replace.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("old", Tensor.Ones<float>(100)));
        Checkpoint.Save(path, Params<float>.Empty.Add("new", Tensor.Ones<float>(1)));
        Assert.Equal(["new"], Checkpoint.Load<float>(path).Names);
        Assert.Equal(["replace.safetensors"], files.OtherFiles());
    }

    [Fact]
    public void A_tensor_named_like_the_metadata_key_is_refused_before_anything_is_written()
    {
        string path = files.PathOf("reserved.safetensors");
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, Params<float>.Empty.Add("__metadata__", Tensor.Ones<float>(1))));
        Assert.Contains("reserved", error.Message);
        Assert.Empty(files.OtherFiles());
    }

    [Fact]
    public void Traced_tensors_are_saved_by_value()
    {
        var p = Params<double>.Empty.Add("w", Tensor.FromArray([1.0, 2.0]));
        string path = files.PathOf("traced.safetensors");
        Grad.ValueAndGrad(q =>
        {
            Checkpoint.Save(path, q.Map(t => t * 3.0));
            return Tensor.Sum(q["w"]);
        }, p);
        Assert.Equal([3.0, 6.0], Checkpoint.Load<double>(path)["w"].ToArray());
    }
}
