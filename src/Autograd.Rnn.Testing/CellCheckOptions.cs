namespace Autograd.Rnn.Testing;

/// <summary>The four checks <see cref="CellChecks"/> runs on a cell.</summary>
[Flags]
public enum CellCheckKind
{
    /// <summary>None of the checks.</summary>
    None = 0,

    /// <summary>
    /// Reverse-mode gradients through <see cref="Recurrence"/>.Scan equal central finite differences in double, with
    /// respect to every parameter, the inputs and each initial-state part.
    /// </summary>
    Gradient = 1,

    /// <summary>
    /// In a padded batch with NaN at every padded step: each sequence's outputs and final state equal those of that sequence
    /// run alone, unpadded; the gradients equal those with zero padding bit for bit; padded inputs get exactly zero gradient.
    /// </summary>
    Padding = 2,

    /// <summary>A stacked (2 layers), bidirectional <see cref="RecurrentLayer{T}"/> of the cell, over a padded batch, has gradients equal to finite differences.</summary>
    Layer = 4,

    /// <summary>The float32 cell, given the double cell's parameters rounded to float32, computes the same outputs within a tolerance.</summary>
    SinglePrecision = 8,

    /// <summary>Every check (<see cref="SinglePrecision"/> only runs when a float32 cell is given).</summary>
    All = Gradient | Padding | Layer | SinglePrecision,
}

/// <summary>
/// How <see cref="CellChecks"/> checks a cell: which checks, how many generated cases each, the bounds of the generated
/// shapes, and the tolerances. Immutable; change it with the <c>With…</c> methods (or C#'s <c>with</c>).
/// </summary>
public sealed record CellCheckOptions
{
    /// <summary>6 cases per check; time 1..4, batch 1..3, input 1..3, hidden 1..3; replay seed 1.</summary>
    public static CellCheckOptions Default { get; } = new();

    /// <summary>Which checks to run.</summary>
    public CellCheckKind Checks { get; init; } = CellCheckKind.All;

    /// <summary>Generated cases per check.</summary>
    public int Cases { get; init => field = Positive(value, nameof(Cases)); } = 6;

    /// <summary>The seed the cases are generated from: the same seed generates the same cases.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Time steps are drawn from 1..MaxTime (the padding check uses at least 2).</summary>
    public int MaxTime { get; init => field = Positive(value, nameof(MaxTime)); } = 4;

    /// <summary>Batch sizes are drawn from 1..MaxBatch (the padding check uses at least 2).</summary>
    public int MaxBatch { get; init => field = Positive(value, nameof(MaxBatch)); } = 3;

    /// <summary>Input features are drawn from 1..MaxInput.</summary>
    public int MaxInput { get; init => field = Positive(value, nameof(MaxInput)); } = 3;

    /// <summary>Hidden sizes are drawn from 1..MaxHidden.</summary>
    public int MaxHidden { get; init => field = Positive(value, nameof(MaxHidden)); } = 3;

    /// <summary>Every parameter from the cell's initialiser is multiplied by this (see <see cref="CellCase.Parameters{T}"/>).</summary>
    public double ParameterScale { get; init => field = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(ParameterScale), value, "CellCheckOptions: ParameterScale must be finite."); } = 1.0;

    /// <summary>The finite-difference step and tolerances of the gradient and layer checks (double).</summary>
    public GradCheckOptions GradCheck { get; init => field = value ?? throw new ArgumentNullException(nameof(GradCheck)); } = GradCheckOptions.Default;

    /// <summary>
    /// The single-precision check passes when |float32 − double| ≤ <see cref="SingleAbsoluteTolerance"/> +
    /// <see cref="SingleRelativeTolerance"/>·|double| for every output and final-state entry.
    /// </summary>
    public double SingleAbsoluteTolerance { get; init => field = NonNegative(value, nameof(SingleAbsoluteTolerance)); } = 1e-5;

    /// <summary>See <see cref="SingleAbsoluteTolerance"/>.</summary>
    public double SingleRelativeTolerance { get; init => field = NonNegative(value, nameof(SingleRelativeTolerance)); } = 1e-4;

    /// <summary>
    /// The padding check compares each sequence run alone with its row of the batch within
    /// <see cref="IsolationTolerance"/>·(1 + |alone|): batched and single-row matrix products may round differently.
    /// </summary>
    public double IsolationTolerance { get; init => field = NonNegative(value, nameof(IsolationTolerance)); } = 1e-10;

    /// <summary>A copy running only <paramref name="checks"/>.</summary>
    public CellCheckOptions WithChecks(CellCheckKind checks) => this with { Checks = checks };

    /// <summary>A copy with <paramref name="cases"/> cases per check.</summary>
    public CellCheckOptions WithCases(int cases) => this with { Cases = cases };

    /// <summary>A copy generating its cases from <paramref name="seed"/>.</summary>
    public CellCheckOptions WithSeed(ulong seed) => this with { Seed = seed };

    /// <summary>A copy with other bounds for the generated shapes.</summary>
    public CellCheckOptions WithBounds(int maxTime, int maxBatch, int maxInput, int maxHidden) =>
        this with { MaxTime = maxTime, MaxBatch = maxBatch, MaxInput = maxInput, MaxHidden = maxHidden };

    /// <summary>A copy scaling the initialiser's parameters by <paramref name="scale"/>.</summary>
    public CellCheckOptions WithParameterScale(double scale) => this with { ParameterScale = scale };

    /// <summary>A copy with another finite-difference step and tolerances.</summary>
    public CellCheckOptions WithGradCheck(GradCheckOptions gradCheck) => this with { GradCheck = gradCheck };

    /// <summary>A copy with other float32-versus-double tolerances.</summary>
    public CellCheckOptions WithSingleTolerances(double absolute, double relative) =>
        this with { SingleAbsoluteTolerance = absolute, SingleRelativeTolerance = relative };

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"CellCheckOptions: {name} must be positive.");

    private static double NonNegative(double value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"CellCheckOptions: {name} must be non-negative.");
}
