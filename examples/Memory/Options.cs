using System.Globalization;

namespace Memory;

/// <summary>The command line. Defaults are the full run; <c>--quick</c> replaces them with a seconds-long run for CI.</summary>
internal sealed record Options
{
    public bool Quick { get; init; }

    /// <summary>The numbers of distractor steps T to try.</summary>
    public int[] Lengths { get; init; } = [5, 10, 20, 40, 80];

    public int Classes { get; init; } = 4;

    public int Distractors { get; init; } = 8;

    public int EmbeddingSize { get; init; } = 16;

    public int HiddenSize { get; init; } = 32;

    public int Steps { get; init; } = 500;

    public int Batch { get; init; } = 32;

    public double LearningRate { get; init; } = 5e-3;

    public double MaxNorm { get; init; } = 1.0;

    /// <summary>The initial bias of the LSTM's forget gate and the GRU's update gate.</summary>
    public float GateBias { get; init; } = 4f;

    public int TestSize { get; init; } = 1000;

    public int ProbeSize { get; init; } = 128;

    public ulong Seed { get; init; } = 1;

    /// <summary>Training runs at once (each run is single-threaded; they are independent, so results do not depend on this).</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 3);

    public string OutputDirectory { get; init; } = Path.Combine("examples", "Memory", "out");

    public const string Usage = """
        usage: dotnet run --project examples/Memory -c Release [-- options]
          --quick             a seconds-long run (CI): T in {3, 6}, 30 steps, small sizes
          --lengths 5,10,...  the distractor lengths T to try (default 5,10,20,40,80)
          --steps N           optimizer steps per model (default 500)
          --hidden N          hidden size of every cell (default 32)
          --gate-bias B       initial bias of the LSTM forget gate and the GRU update gate (default 4)
          --lr X              Adam learning rate (default 0.005)
          --seed N            seed of parameters and data (default 1)
          --workers N         training runs at once (default: cores, at most 3)
          --out DIR           where the plots go (default examples/Memory/out)
        """;

    /// <summary>Parses the arguments; null (after printing why) when they are not understood.</summary>
    public static Options? Parse(string[] args)
    {
        var options = args.Contains("--quick") ? QuickDefaults : new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--quick") continue;
            if (name is "--help" or "-h") { Console.WriteLine(Usage); return null; }
            if (i + 1 >= args.Length) return Fail($"{name} needs a value");
            string value = args[++i];
            try
            {
                options = name switch
                {
                    "--lengths" => options with { Lengths = [.. value.Split(',').Select(v => Positive(int.Parse(v, CultureInfo.InvariantCulture)))] },
                    "--steps" => options with { Steps = Positive(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--hidden" => options with { HiddenSize = Positive(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--gate-bias" => options with { GateBias = float.Parse(value, CultureInfo.InvariantCulture) },
                    "--lr" => options with { LearningRate = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--seed" => options with { Seed = ulong.Parse(value, CultureInfo.InvariantCulture) },
                    "--workers" => options with { Workers = Positive(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--out" => options with { OutputDirectory = value },
                    _ => throw new ArgumentException($"unknown option {name}"),
                };
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return Fail($"{name} {value}: {e.Message}");
            }
        }
        return options;
    }

    private static Options QuickDefaults => new()
    {
        Quick = true, Lengths = [3, 6], Steps = 30, HiddenSize = 16, EmbeddingSize = 8, Batch = 16, TestSize = 200, ProbeSize = 16,
    };

    private static int Positive(int value) => value > 0 ? value : throw new ArgumentException("must be positive");

    private static Options? Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return null;
    }
}
