// Autograd.Rnn benchmarks: our library against libtorch (TorchSharp-cpu) in the same run, same thread count.
//
//   dotnet run -c Release --project tests/Autograd.Rnn.Benchmarks -- --filter '*'              everything, 1 and 2 threads
//   dotnet run -c Release --project tests/Autograd.Rnn.Benchmarks -- --filter '*Lstm*' --threads 1
//   dotnet run -c Release --project tests/Autograd.Rnn.Benchmarks -- --filter '*Gemm*' --job short
//   dotnet run -c Release --project tests/Autograd.Rnn.Benchmarks -- --smoke                   CI: every body, smallest size, seconds
//
// Groups (select with --filter on Namespace.Class.Method, or --anyCategories Gemm|FmaPeak|Lstm|Gru|Rnn|LstmScaling|Peephole|UserCell|Plans|Compile|CharRnn|Fwd|FwdBwd):
//   GemmSquareBenchmarks, GemmRecurrentShapeBenchmarks, FmaPeakBenchmarks   Gemm/
//   LstmBenchmarks, GruBenchmarks, RnnBenchmarks                            Recurrent/RecurrentBenchmarks.cs
//   PeepholeLstmBenchmarks (a user's custom cell vs our built-in LSTM)      Recurrent/PeepholeLstmBenchmarks.cs
//   UserCellBenchmarks (MGU and layer-norm LSTM vs our built-in LSTM)     Recurrent/UserCellBenchmarks.cs
//   PlannedScanBenchmarks, PlanCompileBenchmarks (plans vs eager; recording cost)   Recurrent/
//   LstmScalingBenchmarks (cost against steps, batch and hidden size)     Recurrent/RecurrentBenchmarks.cs
//   CharRnnStepBenchmarks (one CharRnn training step: forward, backward, clip, Adam)   Training/CharRnnStepBenchmarks.cs
//
// Options of this program (everything else goes to BenchmarkDotNet, e.g. --filter, --anyCategories, --list flat):
//   --threads 1,2         thread counts to run, one BenchmarkDotNet job (one process) each; default 1,2
//   --job NAME            base job for those: default, short, medium, long, verylong, dry; default "default"
//   --env NAME=VALUE      an environment variable for every benchmark process (repeatable), e.g. a runtime GC
//                         setting to compare: --env DOTNET_GCName=libclrgc.so
//   --runtime-defaults    leave GC and tiering settings at the runtime's defaults (as an F# script gets them)
//   --smoke               the CI smoke run (Smoke.cs), honouring --filter; exits 0 when every body ran
using Autograd.Rnn.Benchmarks;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

var rest = new List<string>();
var threads = new List<int> { 1, 2 };
var job = Job.Default;
bool smoke = false;
bool runtimeDefaults = false;
var filters = new List<string>();
var environment = new List<(string Name, string Value)>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--smoke":
            smoke = true;
            break;
        case "--runtime-defaults":
            runtimeDefaults = true;
            break;
        case "--threads" when i + 1 < args.Length:
            threads = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
            break;
        case "--env" when i + 1 < args.Length:
            var setting = args[++i];
            int equals = setting.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"--env {setting}: expected NAME=VALUE.");
            environment.Add((setting[..equals], setting[(equals + 1)..]));
            break;
        case "--job" or "-j" when i + 1 < args.Length:
            job = args[++i].ToLowerInvariant() switch
            {
                "default" => Job.Default,
                "short" or "shortrun" => Job.ShortRun,
                "medium" or "mediumrun" => Job.MediumRun,
                "long" or "longrun" => Job.LongRun,
                "verylong" or "verylongrun" => Job.VeryLongRun,
                "dry" => Job.Dry,
                var other => throw new ArgumentException($"--job {other}: expected default, short, medium, long, verylong or dry."),
            };
            break;
        default:
            if (args[i] is "--filter" or "-f")
                for (int j = i + 1; j < args.Length && !args[j].StartsWith('-'); j++) filters.Add(args[j]);
            rest.Add(args[i]);
            break;
    }
}

if (smoke) return Smoke.Run(filters);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], BenchmarkConfig.Create(job, threads, environment, runtimeDefaults)).ToList();
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
