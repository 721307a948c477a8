namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// A save killed before its rename leaves its temporary file behind; the next save to the same path removes it, but
/// never a temporary file a live save still holds, nor one that is not this target's.
/// </summary>
public sealed class CheckpointStaleTemporaryTests : IDisposable
{
    private readonly CheckpointFiles files = new();
    private readonly string path;

    private static readonly Params<float> Parameters = Params<float>.Empty.Add("w", Tensor.Ones<float>(3));

    public CheckpointStaleTemporaryTests() => path = files.PathOf("model.safetensors");

    public void Dispose() => files.Dispose();

    private static string Guid32() => Guid.NewGuid().ToString("N");

    /// <summary>A leftover file, last written <paramref name="age"/> ago.</summary>
    private string Leftover(string name, TimeSpan age)
    {
        string leftover = files.WriteBytes(name, new byte[100]);
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow - age);
        return leftover;
    }

    private static readonly TimeSpan Old = TimeSpan.FromHours(1);

    [Fact]
    public void A_stale_temporary_file_of_the_target_is_removed_by_the_next_save()
    {
        string first = Leftover($".model.safetensors.{Guid32()}.tmp", Old);
        string second = Leftover($".model.safetensors.{Guid32()}.tmp", SafetensorsWriter.StaleAfter + TimeSpan.FromSeconds(5));
        Checkpoint.Save(path, Parameters);
        Assert.False(File.Exists(first));
        Assert.False(File.Exists(second));
        Assert.Empty(files.OtherFiles("model.safetensors"));
        Assert.Equal(Parameters.Names, Checkpoint.Load<float>(path).Names);
    }

    [Fact]
    public void A_recent_temporary_file_is_kept_as_it_may_belong_to_a_save_about_to_rename_it()
    {
        string recent = Leftover($".model.safetensors.{Guid32()}.tmp", TimeSpan.FromSeconds(1));
        Checkpoint.Save(path, Parameters);
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public void A_temporary_file_held_open_by_a_save_in_progress_is_kept_however_old()
    {
        string live = Leftover($".model.safetensors.{Guid32()}.tmp", Old);
        // Held the way SafetensorsWriter holds its own: FileShare.None (a flock on Unix, a share mode on Windows).
        using (var writer = new FileStream(live, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            Checkpoint.Save(path, Parameters);
            Assert.True(File.Exists(live));
            writer.WriteByte(1); // the writer is still intact
        }
        File.SetLastWriteTimeUtc(live, DateTime.UtcNow - Old);
        Checkpoint.Save(path, Parameters); // released: now it is a leftover like any other
        Assert.False(File.Exists(live));
    }

    [Theory]
    [InlineData(".other.safetensors.{0}.tmp")] // another target's
    [InlineData(".model.{0}.tmp")] // the target "model", not "model.safetensors"
    [InlineData("model.safetensors.{0}.tmp")] // no leading dot
    [InlineData(".model.safetensors.{0}.tmp.bak")]
    [InlineData(".model.safetensors.{0}x.tmp")]
    [InlineData(".model.safetensors.not-a-guid-at-all-but-32-chars!!.tmp")]
    [InlineData(".model.safetensors.ABCDEF0123456789ABCDEF0123456789.tmp")] // upper case: not what Guid "N" writes
    [InlineData(".model.safetensors.tmp")]
    public void Files_that_are_not_exactly_this_targets_temporary_files_are_kept(string pattern)
    {
        string other = Leftover(string.Format(pattern, Guid32()), Old);
        Checkpoint.Save(path, Parameters);
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_directory_named_like_a_temporary_file_is_kept()
    {
        string directory = files.PathOf($".model.safetensors.{Guid32()}.tmp");
        Directory.CreateDirectory(directory);
        Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow - Old);
        Checkpoint.Save(path, Parameters);
        Assert.True(Directory.Exists(directory));
    }

    [Fact]
    public void The_temporary_name_pattern_is_recognised_exactly()
    {
        string name = $".model.safetensors.{Guid32()}.tmp";
        Assert.True(SafetensorsWriter.IsTemporaryOf(name, "model.safetensors"));
        Assert.False(SafetensorsWriter.IsTemporaryOf(name, "model"));
        Assert.False(SafetensorsWriter.IsTemporaryOf(name, "safetensors"));
        Assert.False(SafetensorsWriter.IsTemporaryOf(name[1..], "model.safetensors"));
    }
}
