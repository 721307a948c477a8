using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// One job per thread count (each its own process, with DOTNET_PROCESSOR_COUNT set so our GEMM's Parallel.For and
/// libtorch's set_num_threads use the same number), MemoryDiagnoser, and the comparison columns. Results are grouped
/// by category, parameters and job, so each group holds our row (the baseline) and libtorch's rows for one
/// configuration and thread count, and the Ratio column is each row's time ÷ ours.
/// </summary>
public static class BenchmarkConfig
{
    /// <param name="runtimeDefaults">
    /// Leave the runtime's GC and tiering settings at their defaults (what an F# script or a program built outside this
    /// repository gets), instead of the tuned ones docs/performance.md recommends: issue 13's "default runtime settings" row.
    /// </param>
    public static IConfig Create(Job baseJob, IEnumerable<int> threads, IEnumerable<(string Name, string Value)> environment,
        bool runtimeDefaults = false)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance);
        var toolchain = ImportCopyingToolchain.Create();
        foreach (int n in threads)
        {
            var job = baseJob
                .WithToolchain(toolchain)
                .WithEnvironmentVariable(BenchThreads.Variable, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!runtimeDefaults)
            {
                job = job
                    // The repository's Directory.Build.props raises the large-object-heap threshold and turns background GC off
                    // for every program it builds; BenchmarkDotNet's generated project does not import it, so the job sets
                    // both (hex, as the GC reads it).
                    .WithEnvironmentVariable("DOTNET_GCLOHThreshold", "0x2000000")
                    .WithEnvironmentVariable("DOTNET_gcConcurrent", "0")
                    // A floor of 64 MB under the gen-0 budget (docs/performance.md, "Runtime settings"): for small models the
                    // runtime chose about 10 MB, and nearly every gen-0 collection, finding a forward pass in flight, was
                    // followed by a gen-1 one. Environment only: the runtime ignores it in runtimeconfig.json (measured).
                    .WithEnvironmentVariable("DOTNET_GCgen0size", "0x4000000")
                    // With DOTNET_PROCESSOR_COUNT=1 the runtime kept postponing tier-1 compilation of hot methods: our LSTM
                    // forward took 20 ms instead of 6 at (32,50,64,128). No delay before call counting fixes it (measured).
                    .WithEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "0");
            }
            // No comma in the id: BenchmarkDotNet passes it to MSBuild inside /p: paths, where a comma ends the value.
            job = job.WithId((n == 1 ? "1 thread" : $"{n} threads") + (runtimeDefaults ? " runtime defaults" : ""));
            foreach (var (name, value) in environment) job = job.WithEnvironmentVariable(name, value);
            config.AddJob(job);
        }
        config.AddDiagnoser(MemoryDiagnoser.Default);
        config.AddColumn(StatisticColumn.Median, new GflopsColumn(), new OursOverLibtorchColumn(), new BpttBytesColumn(),
            new AllocatedOverBpttColumn(), new NotesColumn(), CategoriesColumn.Default);
        config.HideColumns("EnvironmentVariables", "Toolchain");
        config.AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams, BenchmarkLogicalGroupRule.ByJob);
        return config.WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
