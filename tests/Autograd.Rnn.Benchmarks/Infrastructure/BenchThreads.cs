namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// The thread count a benchmark process runs with, for both sides.
/// <para>
/// Ours: the library's GEMM splits work over <see cref="Environment.ProcessorCount"/> cores (Parallel.For above
/// 2²¹ multiply-adds) and offers no other cap. The runtime reads <c>DOTNET_PROCESSOR_COUNT</c> once at start-up
/// and reports it as <see cref="Environment.ProcessorCount"/>, so each BenchmarkDotNet job sets that variable
/// for its own process (see <see cref="BenchmarkConfig"/>). That is also why threads are jobs ("1 thread",
/// "2 threads") rather than a [Params]: a parameter cannot change a process's environment.
/// </para>
/// <para>libtorch: <c>torch.set_num_threads</c> with the same number.</para>
/// </summary>
public static class BenchThreads
{
    public const string Variable = "DOTNET_PROCESSOR_COUNT";

    /// <summary>The capped processor count of this process (the job's thread count).</summary>
    public static int Count => Environment.ProcessorCount;

    /// <summary>Prints, into the benchmark process's log, the settings its figures depend on (once per process).</summary>
    public static void PrintOnce()
    {
        if (Interlocked.Exchange(ref printed, 1) == 1) return;
        GC.GetConfigurationVariables().TryGetValue("LOHThreshold", out var lohThreshold);
        Console.WriteLine($"// benchmark process: {Count} thread(s) (Environment.ProcessorCount), GC LOHThreshold {lohThreshold ?? "default"}");
    }

    private static int printed;
}
