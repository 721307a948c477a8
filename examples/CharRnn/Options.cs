namespace CharRnn;

/// <summary>
/// Command-line options; --quick shrinks everything so CI can run the whole path in seconds (20 steps of a tiny model:
/// it is not expected to beat the unigram baseline, and the program says so).
/// </summary>
sealed record Options
{
    public bool Quick { get; init; }
    public ulong Seed { get; init; } = 1;
    public string Cell { get; init; } = "lstm";
    public int Layers { get; init; } = 2;
    public int Hidden { get; init; } = 128;
    public int Embedding { get; init; } = 32;
    public int Batch { get; init; } = 32;
    public int Time { get; init; } = 64;
    public int Steps { get; init; } = 1500;
    public double LearningRate { get; init; } = 3e-3;
    public double ClipNorm { get; init; } = 1.0;
    public int EvaluateEvery { get; init; } = 250;
    public int EvaluationCharacters { get; init; } = 32 * 64 * 8;
    public int SampleLength { get; init; } = 400;
    public double Temperature { get; init; } = 0.7;
    public int WarmUpCharacters { get; init; } = 1000;

    /// <summary>The checkpoint folder: --out DIR, or by default a new folder per run, so reruns and concurrent runs never collide.</summary>
    public string Output { get; init; } = Path.Combine(Path.GetTempPath(), $"autograd-rnn-charrnn-{Guid.NewGuid():N}");

    /// <summary>True when the folder is this run's own (no --out): quick mode deletes it at the end.</summary>
    public bool OwnsOutput { get; init; } = true;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        if (args.Contains("--quick"))
            options = options with
            {
                Quick = true, Hidden = 16, Embedding = 8, Batch = 4, Time = 16, Steps = 20, EvaluateEvery = 10,
                EvaluationCharacters = 4 * 16 * 2, SampleLength = 60, WarmUpCharacters = 200,
            };
        for (int i = 0; i < args.Length - 1; i++)
            options = args[i] switch
            {
                "--seed" => options with { Seed = ulong.Parse(args[i + 1]) },
                "--steps" => options with { Steps = int.Parse(args[i + 1]) },
                "--cell" => options with { Cell = args[i + 1].ToLowerInvariant() },
                "--out" => options with { Output = args[i + 1], OwnsOutput = false },
                _ => options,
            };
        if (options.Cell is not ("lstm" or "gru")) throw new ArgumentException($"--cell {options.Cell}: use lstm or gru.");
        return options;
    }

    public override string ToString() =>
        $"{(Quick ? "quick mode, " : "")}seed {Seed}, {Steps} steps of {Batch}×{Time} characters, learning rate {LearningRate}, clip {ClipNorm}";
}
