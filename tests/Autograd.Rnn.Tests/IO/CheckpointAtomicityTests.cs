using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Saving is atomic: whatever fails and wherever, the file at the path is the previous checkpoint, byte for byte,
/// and no temporary file is left behind.
/// </summary>
public sealed class CheckpointAtomicityTests : IDisposable
{
    private readonly CheckpointFiles files = new();
    private readonly string path;
    private readonly byte[] previous;

    private static readonly Params<float> NewParameters = Params<float>.Empty
        .Add("weight_ih_l0", Tensor.RandomNormal<float>([64, 32], seed: 11))
        .Add("bias_ih_l0", Tensor.RandomNormal<float>([64], seed: 12));

    public CheckpointAtomicityTests()
    {
        path = files.PathOf("model.safetensors");
        Checkpoint.Save(path, Params<float>.Empty.Add("old", Tensor.Full(1f, 3)), new Dictionary<string, string> { ["epoch"] = "1" });
        previous = File.ReadAllBytes(path);
    }

    public void Dispose() => files.Dispose();

    private void AssertPreviousCheckpointIntactAndNoTemporaryFile()
    {
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Empty(files.OtherFiles("model.safetensors"));
        Assert.Equal(["old"], Checkpoint.Load<float>(path).Names);
    }

    /// <summary>A stream that accepts <paramref name="allowed"/> bytes and then fails, as a full disk would.</summary>
    private sealed class FailingStream(Stream inner, long allowed, bool failOnFlush = false) : Stream
    {
        private long written;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > allowed)
            {
                inner.Write(buffer[..(int)(allowed - written)]); // a partial write reaches the file first
                written = allowed;
                throw new IOException("No space left on device (simulated).");
            }
            inner.Write(buffer);
            written += buffer.Length;
        }

        public override void Flush()
        {
            if (failOnFlush) throw new IOException("Flush failed (simulated).");
            inner.Flush();
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_write_failing_in_the_middle_of_a_tensor_leaves_the_previous_checkpoint_and_no_temporary_file()
    {
        var error = Assert.Throws<IOException>(() => SafetensorsWriter.Write(path, NewParameters, null, s => new FailingStream(s, allowed: 5000)));
        Assert.Contains("simulated", error.Message);
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }

    [Fact]
    public void A_write_failing_at_any_byte_leaves_the_previous_checkpoint_and_no_temporary_file() =>
        Prop.ForAll(Gen.Choose(0, 8 + SafetensorsWriter.BuildHeader(NewParameters, null).Length + (int)NewParameters.ElementCount * 4 - 1).ToArbitrary(), allowed =>
        {
            Assert.Throws<IOException>(() => SafetensorsWriter.Write(path, NewParameters, null, s => new FailingStream(s, allowed)));
            AssertPreviousCheckpointIntactAndNoTemporaryFile();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void A_flush_that_fails_leaves_the_previous_checkpoint_and_no_temporary_file()
    {
        Assert.Throws<IOException>(() => SafetensorsWriter.Write(path, NewParameters, null, s => new FailingStream(s, long.MaxValue, failOnFlush: true)));
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }

    [Fact]
    public void Saving_into_a_directory_that_does_not_exist_fails_and_creates_nothing()
    {
        string missing = Path.Combine(files.Directory, "no-such-directory", "model.safetensors");
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(missing, NewParameters));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }

    [Fact]
    public void Saving_over_a_directory_fails_at_the_rename_and_removes_the_temporary_file()
    {
        string directoryTarget = files.PathOf("a-directory");
        Directory.CreateDirectory(directoryTarget);
        File.WriteAllText(Path.Combine(directoryTarget, "keep.txt"), "kept");
        var error = Record.Exception(() => Checkpoint.Save(directoryTarget, NewParameters));
        Assert.True(error is IOException or UnauthorizedAccessException, $"unexpected {error?.GetType()}");
        Assert.Equal("kept", File.ReadAllText(Path.Combine(directoryTarget, "keep.txt")));
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }

    [Fact]
    public void A_read_only_target_is_either_replaced_whole_or_left_untouched()
    {
        // POSIX renames over a read-only file (permissions guard the directory, not the file); Windows refuses.
        // Either way the result is one whole checkpoint and no temporary file.
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var error = Record.Exception(() => Checkpoint.Save(path, NewParameters));
            if (error is null) Assert.Equal(NewParameters.Names, Checkpoint.Load<float>(path).Names);
            else Assert.Equal(previous, File.ReadAllBytes(path));
            Assert.Empty(files.OtherFiles("model.safetensors"));
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    [Fact]
    public void A_name_that_cannot_be_encoded_fails_before_any_file_is_created()
    {
        var bad = Params<float>.Empty.Add("lone\uD800surrogate", Tensor.Ones<float>(1));
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, bad));
        Assert.Contains("unpaired surrogate (U+D800)", error.Message);
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }

    [Fact]
    public void Null_metadata_values_are_refused_before_any_file_is_created()
    {
        var metadata = new Dictionary<string, string> { ["a"] = null! };
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, NewParameters, metadata));
        AssertPreviousCheckpointIntactAndNoTemporaryFile();
    }
}
