using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// Every built-in cell, unrolled over a short generated sequence, has reverse-mode gradients equal to central finite
/// differences in double — with respect to every parameter, the inputs and the initial state:
/// |analytic − numeric| ≤ 1e-6 + 1e-4·|numeric| (GradCheckOptions.Default, step 1e-6).
/// Sizes: time 1..5, batch 1..3, input and hidden 1..5.
/// </summary>
public class CellGradientProperties
{
    private const int Cases = 12;

    public sealed record SequenceCase(int Time, int Batch, int Input, int Hidden, ulong Seed)
    {
        public override string ToString() => $"time {Time}, batch {Batch}, input {Input}, hidden {Hidden}, seed {Seed}";
    }

    private static Arbitrary<SequenceCase> Sequences { get; } =
        (from time in Gen.Choose(1, 5)
         from batch in Gen.Choose(1, 3)
         from input in Gen.Choose(1, 5)
         from hidden in Gen.Choose(1, 5)
         from seed in Generators.Seed
         select new SequenceCase(time, batch, input, hidden, seed)).ToArbitrary();

    public static TheoryData<string> CellNames() => ["RNN tanh", "RNN relu", "LSTM", "GRU", "GRU Cho"];

    internal static Cell<double> CellNamed(string name) => name switch
    {
        "RNN tanh" => Cells.Rnn<double>(),
        "RNN relu" => Cells.Rnn<double>(Nonlinearity.Relu),
        "LSTM" => Cells.Lstm<double>(),
        "GRU" => Cells.Gru<double>(),
        "GRU Cho" => Cells.Gru<double>(GruVariant.Cho),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(CellNames))]
    public void Unrolled_cell_gradient_matches_finite_differences(string name)
    {
        var cell = CellNamed(name);
        Prop.ForAll(Sequences, c =>
        {
            var result = GradCheck.Run(p => Unroll(cell, p, c.Hidden), Parameters(cell, c));
            return result.Passed.Label($"{name} at {c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }

    /// <summary>The cell's parameters plus the inputs and every initial-state part, all checked alike.</summary>
    internal static Params<double> Parameters(Cell<double> cell, SequenceCase c)
    {
        var p = cell.Initialize(c.Input, c.Hidden, c.Seed)
            .Add("inputs", Tensor.RandomNormal<double>([c.Time, c.Batch, c.Input], c.Seed + 1));
        for (int part = 0; part < cell.StateParts; part++)
            p = p.Add("initial" + part, Tensor.RandomNormal<double>([c.Batch, c.Hidden], c.Seed + 2 + (ulong)part, 0, 0.5));
        return p;
    }

    /// <summary>All hidden outputs and the final state: GradCheck projects them on a random cotangent.</summary>
    internal static Tensor<double> Unroll(Cell<double> cell, Params<double> p, int hidden)
    {
        var initial = RecurrentState<double>.Of(Enumerable.Range(0, cell.StateParts).Select(i => p["initial" + i]).ToArray());
        var run = Recurrence.Scan(cell, p, initial, p["inputs"]);
        var finalParts = run.FinalState.Select(s => s.Reshape(1, -1, hidden)).ToArray();
        return Tensor.Concat([run.Outputs, .. finalParts], 0);
    }
}
