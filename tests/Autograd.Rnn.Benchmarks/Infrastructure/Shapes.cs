namespace Autograd.Rnn.Benchmarks;

/// <summary>A recurrent layer's size: batch, time steps, input features, hidden units.</summary>
public sealed record RnnShape(int Batch, int Steps, int Input, int Hidden)
{
    public override string ToString() => $"B{Batch} T{Steps} I{Input} H{Hidden}";
}

/// <summary>A matrix product [M,K]·[K,N] and where it comes from.</summary>
public sealed record GemmShape(string Role, int M, int K, int N)
{
    public long Flops => 2L * M * N * K;

    public override string ToString() => $"{Role} {M}x{K}x{N}";
}

/// <summary>The sizes of issue 4, smallest first (the smoke run uses the first of each list).</summary>
public static class Shapes
{
    /// <summary>(batch, steps, input, hidden) of issue 4.</summary>
    public static IEnumerable<RnnShape> Recurrent { get; } =
    [
        new(1, 100, 32, 32),
        new(32, 50, 64, 128),
        new(32, 100, 128, 256),
        new(64, 50, 256, 512),
    ];

    /// <summary>One size varied at a time around (32, 50, 64, 128): steps 25…400, batch 1…128, hidden 32…512.</summary>
    public static IEnumerable<RnnShape> Scaling { get; } =
    [
        .. new[] { 25, 50, 100, 200, 400 }.Select(t => new RnnShape(32, t, 64, 128)),
        .. new[] { 1, 8, 128 }.Select(b => new RnnShape(b, 50, 64, 128)),
        .. new[] { 32, 64, 256, 512 }.Select(h => new RnnShape(32, 50, 64, h)),
    ];

    /// <summary>
    /// The products inside an LSTM of each recurrent size: one step's input projection batch × input → 4·hidden
    /// (what a per-step cell multiplies), one step's recurrent product batch × hidden → 4·hidden, and the input
    /// projection of all steps at once (time·batch) × input → 4·hidden (what our unroll does).
    /// </summary>
    public static IEnumerable<GemmShape> RecurrentGemm { get; } = Recurrent.SelectMany(s => new GemmShape[]
    {
        new("step-input", s.Batch, s.Input, 4 * s.Hidden),
        new("recurrent", s.Batch, s.Hidden, 4 * s.Hidden),
        new("all-steps-input", s.Steps * s.Batch, s.Input, 4 * s.Hidden),
    }).ToArray();
}
