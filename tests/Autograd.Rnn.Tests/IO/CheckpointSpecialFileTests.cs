using System.Diagnostics;

namespace Autograd.Rnn.Tests.IO;

/// <summary>Paths that are not regular files are refused at once, naming the path, and never block (a FIFO would).</summary>
public sealed class CheckpointSpecialFileTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    // Far longer than a refusal takes even on a loaded machine; a read that blocks (a FIFO waiting for a writer, a device
    // read to its end) never returns at all. No tighter bound is asserted: the time of a test is not its result.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Every reader refuses the path, without blocking, with a CheckpointFormatException naming it.</summary>
    private static void RefusedPromptly(string path, string expected, Action? unblock = null)
    {
        foreach (var read in new Action[] { () => Checkpoint.Load<float>(path), () => Checkpoint.ReadMetadata(path), () => Checkpoint.ReadEntries(path),
                                            () => Checkpoint.Load(path, Params<float>.Empty.Add("w", Tensor.Ones<float>(1))) })
        {
            // A thread of its own, not the thread pool: other tests running in parallel must not be able to delay its start.
            Exception? outcome = null;
            var attempt = new Thread(() => outcome = Record.Exception(read)) { IsBackground = true };
            attempt.Start();
            if (!attempt.Join(Patience))
            {
                unblock?.Invoke(); // release the blocked open so the test host does not hang
                Assert.Fail($"reading {path} blocked for {Patience.TotalSeconds} s");
            }
            var error = Assert.IsType<CheckpointFormatException>(outcome);
            Assert.Equal(path, error.Path);
            Assert.StartsWith(path + ": ", error.Message);
            Assert.Contains(expected, error.Problem);
        }
    }

    [Fact]
    public void A_directory_is_refused_as_not_a_regular_file()
    {
        string directory = files.PathOf("model.safetensors");
        Directory.CreateDirectory(directory);
        RefusedPromptly(directory, "it is a directory; a checkpoint must be a regular file");
        string link = files.PathOf("link.safetensors");
        Directory.CreateSymbolicLink(link, directory);
        RefusedPromptly(link, "it is a directory; a checkpoint must be a regular file");
    }

    [Fact]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        if (OperatingSystem.IsWindows()) return; // no mkfifo; Windows named pipes do not live in the file system
        string fifo = files.PathOf("model.safetensors");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));
        void Unblock() { using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write); }
        RefusedPromptly(fifo, "a checkpoint must be a regular file", Unblock);

        string link = files.PathOf("link.safetensors");
        File.CreateSymbolicLink(link, fifo); // a link's own length is that of its target's path: the FIFO behind it must be found
        RefusedPromptly(link, "a checkpoint must be a regular file", Unblock);
        string chain = files.PathOf("chain.safetensors");
        File.CreateSymbolicLink(chain, link);
        RefusedPromptly(chain, "a checkpoint must be a regular file", Unblock);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/zero")] // a device that never ends
    public void A_device_is_refused_without_being_read(string device)
    {
        if (!File.Exists(device)) return;
        RefusedPromptly(device, "a checkpoint must be a regular file");
    }

    [Fact]
    public void A_link_to_a_valid_checkpoint_loads()
    {
        string target = files.PathOf("real.safetensors"), link = files.PathOf("link.safetensors");
        Checkpoint.Save(target, Params<float>.Empty.Add("w", Tensor.Ones<float>(2)));
        File.CreateSymbolicLink(link, target);
        Assert.Equal([1f, 1f], Checkpoint.Load<float>(link)["w"].ToArray());
    }

    [Fact]
    public void A_missing_file_is_still_a_file_not_found_error()
    {
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load<float>(files.PathOf("absent.safetensors")));
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Load<float>(files.PathOf(Path.Combine("absent", "model.safetensors"))));
    }
}
