using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Fuzzing the loader with damaged checkpoints (in memory, through the same reader <see cref="Checkpoint.Load{T}(string, bool)"/>
/// uses on a file). The law: a damaged file either loads to exactly what its bytes say, as an independent reader
/// (<see cref="CheckpointOracle"/>) reads them, or is refused with <see cref="CheckpointFormatException"/>
/// (<see cref="CheckpointMismatchException"/> when it is well formed but not what was asked for). No other exception
/// escapes, and no load allocates much more than the file's own size, whatever the header claims.
/// </summary>
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    private const string Label = "fuzzed.safetensors";

    private void Fuzz(string what, Gen<Corruption> corruptions, int cases)
    {
        int run = 0, loaded = 0;
        var clock = Stopwatch.StartNew();
        Prop.ForAll(corruptions.ToArbitrary(), corruption =>
        {
            run++;
            if (LoadsAsItsBytesSayOrIsRefused(corruption)) loaded++;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));
        Assert.Equal(cases, run);
        output.WriteLine($"{what}: {run} damaged files, each loaded 4 ways ({loaded} valid despite the damage, {run - loaded} refused), in {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public void Truncated_files_are_refused_or_load_as_their_bytes_say() => Fuzz("truncations", CheckpointCorruptions.Truncation, 2000);

    [Fact]
    public void Files_with_flipped_bytes_are_refused_or_load_as_their_bytes_say() => Fuzz("byte flips", CheckpointCorruptions.ByteFlips, 4000);

    [Fact]
    public void Flipped_bytes_inside_tensor_values_load_as_those_bytes_and_leave_the_other_tensors_intact() =>
        Fuzz("byte flips inside values", CheckpointCorruptions.DataFlips, 1000);

    [Fact]
    public void Files_with_inserted_or_deleted_bytes_are_refused_or_load_as_their_bytes_say() => Fuzz("splices", CheckpointCorruptions.Splices, 1000);

    [Fact]
    public void Files_with_a_wrong_header_length_are_refused_or_load_as_their_bytes_say() => Fuzz("header lengths", CheckpointCorruptions.HeaderLengths, 1000);

    [Fact]
    public void Files_with_edited_header_json_are_refused_or_load_as_their_bytes_say() => Fuzz("JSON edits", CheckpointCorruptions.JsonEdits, 10000);

    [Fact]
    public void A_file_cut_while_being_read_is_refused_as_a_format_error()
    {
        int run = 0;
        var cuts = from b in Gen.Elements(CheckpointBase.All.ToArray()) from length in Gen.Choose(0, b.File.Length - 1) select (b, length);
        Prop.ForAll(cuts.ToArbitrary(), cut =>
        {
            run++;
            // The stream still reports the whole length, as a file truncated after its length was read would.
            var stream = new CutStream(cut.b.File[..cut.length], cut.b.File.Length);
            var error = Record.Exception(() => Checkpoint.Read<double>(Label, stream, null, convertDtype: true));
            Assert.True(error is CheckpointFormatException, $"{cut.b} cut at {cut.length}: {error}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
        output.WriteLine($"files cut while being read: {run}");
    }

    /// <summary>A stream over <paramref name="bytes"/> that claims to be <paramref name="claimedLength"/> long.</summary>
    private sealed class CutStream(byte[] bytes, long claimedLength) : MemoryStream(bytes, writable: false)
    {
        public override long Length => claimedLength;
    }

    [Theory]
    [InlineData(100UL * 1024 * 1024)] // the limit itself, far past the end of this small file
    [InlineData(1UL << 63)]
    [InlineData(ulong.MaxValue)]
    [InlineData(0UL)]
    public void An_absurd_header_length_is_refused_without_allocating_it(ulong declared)
    {
        var bytes = CheckpointFiles.Assemble("{}", new byte[16], declaredLength: declared);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.Read<float>(Label, new MemoryStream(bytes), null, false));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    /// <summary>
    /// The property every fuzz case is held to; the four loads cover both element types, conversion and expected names.
    /// Returns whether the damaged file was still a valid one.
    /// </summary>
    private static bool LoadsAsItsBytesSayOrIsRefused(Corruption corruption)
    {
        var oracle = CheckpointOracle.Read(corruption.File);
        var b = corruption.Base;
        try
        {
            var header = Outcome(corruption, () => SafetensorsHeader.Read(Label, new MemoryStream(corruption.File)));
            var asFloat = Outcome(corruption, () => Checkpoint.Read<float>(Label, new MemoryStream(corruption.File), null, convertDtype: false));
            var asDouble = Outcome(corruption, () => Checkpoint.Read<double>(Label, new MemoryStream(corruption.File), null, convertDtype: true));
            var asExpected = Outcome(corruption, () => Checkpoint.Read(Label, new MemoryStream(corruption.File), b.Shapes, convertDtype: true));
            if (!oracle.IsValid)
            {
                foreach (var outcome in new[] { header.Error, asFloat.Error, asDouble.Error, asExpected.Error })
                {
                    var error = Assert.IsType<CheckpointFormatException>(outcome);
                    Assert.Equal(Label, error.Path);
                    Assert.StartsWith(Label + ": ", error.Message);
                }
                return false;
            }
            Assert.Null(header.Error);
            Assert.Equal<KeyValuePair<string, string>>(oracle.Metadata, header.Value!.Metadata);
            Assert.Equal(oracle.Tensors.Select(t => (t.Name, t.Dtype, t.Begin, t.End)), header.Value.Entries.Select(e => (e.Name, e.Dtype, e.Begin, e.End)));

            if (oracle.Tensors.Any(t => t.Dtype == "F64")) Assert.IsType<CheckpointMismatchException>(asFloat.Error);
            else AssertHolds(oracle.Tensors, asFloat);
            AssertHolds(oracle.Tensors, asDouble);

            bool matches = oracle.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).SequenceEqual(b.Shapes.Names.Order(StringComparer.Ordinal)) &&
                           oracle.Tensors.All(t => b.Shapes[t.Name].Shape == new Shape(t.Shape));
            if (!matches) Assert.IsType<CheckpointMismatchException>(asExpected.Error);
            else AssertHolds(b.Shapes.Names.Select(n => oracle.Tensors.Single(t => t.Name == n)).ToList(), asExpected);

            if (corruption.DataFlips is { } flips)
                foreach (var t in oracle.Tensors.Where(t => !flips.Any(f => f >= t.Begin && f < t.End)))
                    Assert.Equal(Bits(b.Values[t.Name].ToArray()), Bits(t.Values)); // untouched tensors are the originals, bit for bit
            return true;
        }
        catch (Exception e) when (e is not CaseFailedException)
        {
            throw new CaseFailedException($"{corruption} (oracle: {oracle.Refusal ?? "valid"})", e);
        }
    }

    private sealed record Result<T>(T? Value, Exception? Error);

    /// <summary>Runs one load; fails the case at once for an exception outside the documented two or for an outsized allocation.</summary>
    private static Result<T> Outcome<T>(Corruption corruption, Func<T> load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Result<T> result;
        try { result = new(load(), null); }
        catch (Exception e) when (e is CheckpointFormatException or CheckpointMismatchException) { result = new(default, e); }
        catch (Exception e) { throw new CaseFailedException($"{corruption}: {e.GetType().Name} escaped the loader", e); }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > 16L * corruption.File.Length + (1 << 20))
            throw new CaseFailedException($"{corruption}: the load allocated {allocated} bytes for a {corruption.File.Length}-byte file");
        return result;
    }

    private static void AssertHolds<T>(IReadOnlyList<OracleTensor> tensors, Result<Params<T>> loaded) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Null(loaded.Error);
        var p = loaded.Value!;
        Assert.Equal(tensors.Select(t => t.Name), p.Names);
        foreach (var t in tensors)
        {
            Assert.Equal(new Shape(t.Shape), p[t.Name].Shape);
            if (typeof(T) == typeof(float)) Assert.Equal(t.Singles.Select(BitConverter.SingleToInt32Bits), p[t.Name].ToArray().Select(v => BitConverter.SingleToInt32Bits(float.CreateTruncating(v))));
            else Assert.Equal(Bits(t.Values), Bits(p[t.Name].ToArray().Select(double.CreateTruncating).ToArray()));
        }
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private sealed class CaseFailedException(string message, Exception? inner = null) : Exception(message, inner);
}
