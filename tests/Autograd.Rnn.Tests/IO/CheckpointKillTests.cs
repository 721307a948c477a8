using System.Diagnostics;
using System.Reflection;
using Autograd.Rnn.CheckpointKillHelper;
using Xunit.Abstractions;

namespace Autograd.Rnn.Tests.IO;

/// <summary>
/// Killing a process in the middle of saving: a child process (tests/Autograd.Rnn.CheckpointKillHelper) saves
/// version after version to one path and is killed (SIGKILL on Unix) after a seeded random delay. After every kill
/// the file at the path loads and is one complete version — the last one seen or a newer one, bit for bit.
/// </summary>
public sealed class CheckpointKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 30;

    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    private static string HelperPath =>
        typeof(CheckpointKillTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CheckpointKillHelper").Value!;

    [Fact]
    public void A_save_killed_at_any_moment_leaves_a_complete_checkpoint_at_the_path()
    {
        Assert.True(File.Exists(HelperPath), $"the kill helper was not built: {HelperPath}");
        string path = files.PathOf("model.safetensors");
        Checkpoint.Save(path, CheckpointVersions.Create(0), CheckpointVersions.Metadata(0));
        var random = new Random(20251); // seeded: the same delays on every run
        var clock = Stopwatch.StartNew();
        int last = 0, interrupted = 0;
        for (int kill = 1; kill <= Kills; kill++)
        {
            int first = kill * CheckpointVersions.Series; // each child's versions are told apart by their range
            using (var child = StartHelper(path, first))
            {
                Assert.Equal("saving", ReadLineWithin(child, TimeSpan.FromSeconds(30)));
                Thread.Sleep(random.Next(0, 200));
                child.Kill();
                Assert.True(child.WaitForExit(10_000), "the helper did not die");
            }
            if (files.OtherFiles("model.safetensors").Length > interrupted) interrupted++; // this kill left a temporary file behind

            int version = int.Parse(Checkpoint.ReadMetadata(path)["version"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(version == last || (version >= first && version < first + CheckpointVersions.Series), $"kill {kill}: version {version} after {last}");
            var loaded = Checkpoint.Load(path, CheckpointVersions.Create(0));
            foreach (var (name, tensor) in CheckpointVersions.Create(version))
                Assert.Equal(tensor.ToArray().Select(BitConverter.SingleToInt32Bits), loaded[name].ToArray().Select(BitConverter.SingleToInt32Bits));
            last = version;
        }

        // The leftovers of the interrupted saves are unlocked (their processes are dead): once stale, the next save removes them all.
        foreach (string leftover in files.OtherFiles("model.safetensors"))
            File.SetLastWriteTimeUtc(files.PathOf(leftover), DateTime.UtcNow - SafetensorsWriter.StaleAfter - TimeSpan.FromSeconds(1));
        Checkpoint.Save(path, CheckpointVersions.Create(1), CheckpointVersions.Metadata(1));
        Assert.Empty(files.OtherFiles("model.safetensors"));
        output.WriteLine($"{Kills} kills survived ({interrupted} left a temporary file, i.e. interrupted a save; last version {last}) in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Process StartHelper(string path, int firstVersion)
    {
        // The dotnet CLI sets DOTNET_HOST_PATH for the processes it starts (the test host among them).
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var start = new ProcessStartInfo(host, [HelperPath, path, firstVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("the kill helper did not start");
    }

    private static string? ReadLineWithin(Process child, TimeSpan timeout)
    {
        var line = child.StandardOutput.ReadLineAsync();
        if (line.Wait(timeout)) return line.Result;
        child.Kill();
        throw new TimeoutException($"the kill helper printed nothing in {timeout.TotalSeconds} s");
    }
}
