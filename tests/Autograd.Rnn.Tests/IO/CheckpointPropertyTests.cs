using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.IO;

/// <summary>Properties over damaged files: no truncation is accepted, and no damage escapes as anything but a CheckpointFormatException.</summary>
public sealed class CheckpointPropertyTests : IDisposable
{
    private readonly CheckpointFiles files = new();
    private readonly byte[] valid;
    private readonly int headerEnd;

    public CheckpointPropertyTests()
    {
        string path = files.PathOf("valid.safetensors");
        Checkpoint.Save(path, Params<float>.Empty
            .Add("weight_ih_l0", Tensor.RandomNormal<float>([4, 3], seed: 5))
            .Add("bias_ih_l0", Tensor.Zeros<float>(4))
            .Add("empty", Tensor.Zeros<float>(0, 2))
            .Add("scale", Tensor.Scalar(2f)), new Dictionary<string, string> { ["epoch"] = "7" });
        valid = File.ReadAllBytes(path);
        headerEnd = 8 + (int)BitConverter.ToUInt64(valid, 0);
    }

    public void Dispose() => files.Dispose();

    private string WriteCase(byte[] bytes) => files.WriteBytes($"case-{Guid.NewGuid():N}.safetensors", bytes);

    [Fact]
    public void Truncating_a_valid_file_at_any_length_below_its_full_length_is_refused() =>
        Prop.ForAll(Gen.Choose(0, valid.Length - 1).ToArbitrary(), length =>
        {
            string path = WriteCase(valid[..length]);
            var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load<float>(path));
            Assert.StartsWith(path, error.Message);
            File.Delete(path);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void Every_truncation_length_is_refused_exhaustively()
    {
        for (int length = 0; length < valid.Length; length++)
        {
            string path = files.WriteBytes("truncated.safetensors", valid[..length]);
            Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load<float>(path));
        }
    }

    [Fact]
    public void Flipping_bytes_in_the_length_or_header_never_fails_with_anything_but_a_format_exception() =>
        Prop.ForAll(Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, headerEnd - 1), Gen.Choose(1, 255)), n)).ToArbitrary(), flips =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var (position, mask) in flips) bytes[position] ^= (byte)mask;
            string path = WriteCase(bytes);
            try
            {
                var loaded = Checkpoint.Load<float>(path);
                // A flip can leave a valid file (e.g. inside a metadata string or a name): then it must read as one.
                Assert.Equal(valid.Length - headerEnd, loaded.ElementCount * 4);
            }
            catch (CheckpointFormatException) { }
            catch (CheckpointMismatchException) { } // a flip of "F32" to "F64" with consistent sizes cannot happen, but dtype refusal is its own type
            File.Delete(path);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));

    [Fact]
    public void Random_bytes_never_fail_with_anything_but_a_format_exception() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary(), bytes =>
        {
            string path = WriteCase(bytes);
            try { Checkpoint.Load<float>(path); }
            catch (CheckpointFormatException) { }
            File.Delete(path);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Any_params_round_trip_bit_exactly() =>
        Prop.ForAll(ParamsGen.ToArbitrary(), p =>
        {
            string path = WriteCase([]);
            Checkpoint.Save(path, p);
            var loaded = Checkpoint.Load<double>(path);
            Assert.Equal(p.Names, loaded.Names);
            foreach (var (name, tensor) in p)
            {
                Assert.Equal(tensor.Shape, loaded[name].Shape);
                Assert.Equal(tensor.ToArray().Select(BitConverter.DoubleToInt64Bits), loaded[name].ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
            File.Delete(path);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    private static readonly Gen<double> AnyDouble =
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select BitConverter.Int64BitsToDouble(((long)high << 32) | (uint)low); // every bit pattern: NaNs, infinities, subnormals, −0

    private static readonly Gen<Tensor<double>> AnyTensor =
        from rank in Gen.Choose(0, 3)
        from dims in Gen.ArrayOf(Gen.Choose(0, 4), rank)
        from values in Gen.ArrayOf(AnyDouble, dims.Aggregate(1, (a, b) => a * b))
        select rank == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, dims);

    private static readonly Gen<Params<double>> ParamsGen =
        from count in Gen.Choose(0, 5)
        from tensors in Gen.ArrayOf(AnyTensor, count)
        select Params.Create(tensors.Select((t, i) => new KeyValuePair<string, Tensor<double>>($"layer{i}.w", t)));
}
