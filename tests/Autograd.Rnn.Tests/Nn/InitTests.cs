using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Nn;

/// <summary>Initialisers: their distributions, bounds, orthogonality and determinism.</summary>
public class InitTests
{
    /// <summary>
    /// The largest entry of |QQᵀ − gain²·I| when Q [rows, columns] is wide or square (orthonormal rows), or of
    /// |QᵀQ − gain²·I| when it is tall (orthonormal columns).
    /// </summary>
    internal static double OrthogonalityError(double[] q, int rows, int columns, double gain = 1.0)
    {
        bool byRows = rows <= columns;
        int count = byRows ? rows : columns, length = byRows ? columns : rows;
        double At(int vector, int i) => byRows ? q[vector * columns + i] : q[i * columns + vector];
        double worst = 0;
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++) dot += At(a, i) * At(b, i);
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? gain * gain : 0.0)));
            }
        return worst;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 6)]
    [InlineData(64, 64)]
    [InlineData(40, 7)]
    [InlineData(7, 40)]
    [InlineData(5, 1)]
    [InlineData(1, 5)]
    public void Orthogonal_has_orthonormal_rows_or_columns_to_1e_12(int rows, int columns)
    {
        for (ulong seed = 0; seed < 5; seed++)
        {
            var q = Init.Orthogonal<double>(rows, columns, seed);
            Assert.Equal(new Shape(rows, columns), q.Shape);
            double error = OrthogonalityError(q.ToArray(), rows, columns);
            Assert.True(error <= 1e-12, $"[{rows},{columns}] seed {seed}: error {error}");
        }
    }

    [Fact]
    public void Orthogonal_is_orthonormal_over_generated_shapes_and_seeds()
    {
        var cases = (from rows in Gen.Choose(1, 24)
                     from columns in Gen.Choose(1, 24)
                     from seed in Generators.Seed
                     select (rows, columns, seed)).ToArbitrary();
        Prop.ForAll(cases, c =>
        {
            var (rows, columns, seed) = c;
            double error = OrthogonalityError(Init.Orthogonal<double>(rows, columns, seed).ToArray(), rows, columns);
            return (error <= 1e-12).Label($"[{rows},{columns}] seed {seed}: error {error}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(1.7)]
    public void Orthogonal_gain_scales_the_matrix(double gain)
    {
        var unit = Init.Orthogonal<double>(5, 8, seed: 3).ToArray();
        var scaled = Init.Orthogonal<double>(5, 8, seed: 3, gain).ToArray();
        for (int i = 0; i < unit.Length; i++) Assert.Equal(gain * unit[i], scaled[i], 1e-15);
        Assert.True(OrthogonalityError(scaled, 5, 8, gain) <= 1e-12);
    }

    [Fact]
    public void Orthogonal_in_single_precision_is_orthonormal_to_float_accuracy()
    {
        var q = Init.Orthogonal<float>(16, 16, seed: 1).ToArray().Select(v => (double)v).ToArray();
        Assert.True(OrthogonalityError(q, 16, 16) <= 1e-6);
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(200, 50)]
    public void XavierUniform_stays_within_root_six_over_fan_in_plus_fan_out_and_fills_it(int fanOut, int fanIn)
    {
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        var w = Init.XavierUniform<double>(fanOut, fanIn, seed: 4);
        Assert.Equal(new Shape(fanOut, fanIn), w.Shape);
        var values = w.ToArray();
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Max() > 0.95 * bound && values.Min() < -0.95 * bound, $"spans [{values.Min()}, {values.Max()}], bound {bound}");
        var scaled = Init.XavierUniform<double>(fanOut, fanIn, seed: 4, gain: 3.0).ToArray();
        Assert.All(scaled, v => Assert.InRange(v, -3 * bound, 3 * bound));
        Assert.True(scaled.Max() > 0.95 * 3 * bound);
    }

    [Fact]
    public void Uniform_and_PyTorchDefault_stay_within_their_bounds()
    {
        Assert.All(Init.Uniform<double>([500], 0.3, seed: 2).ToArray(), v => Assert.InRange(v, -0.3, 0.3));
        Assert.All(Init.PyTorchDefault<double>([500], 25, seed: 2).ToArray(), v => Assert.InRange(v, -0.2, 0.2));
        Assert.Equal(Init.Uniform<double>([7], 0.2, seed: 2).ToArray(), Init.PyTorchDefault<double>([7], 25, seed: 2).ToArray());
    }

    public static TheoryData<string> Initialisers() => ["Uniform", "PyTorchDefault", "XavierUniform", "Orthogonal"];

    private static float[] Draw(string name, ulong seed) => name switch
    {
        "Uniform" => Init.Uniform<float>([6, 5], 0.7, seed).ToArray(),
        "PyTorchDefault" => Init.PyTorchDefault<float>([6, 5], 5, seed).ToArray(),
        "XavierUniform" => Init.XavierUniform<float>(6, 5, seed).ToArray(),
        "Orthogonal" => Init.Orthogonal<float>(6, 5, seed).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Initialisers))]
    public void The_same_seed_gives_bit_identical_values_and_another_seed_different_ones(string name)
    {
        Assert.Equal(Draw(name, 17), Draw(name, 17));
        Assert.NotEqual(Draw(name, 17), Draw(name, 18));
    }

    // ---- CellInitialization ----

    public static TheoryData<string, int> CellKinds() => new() { { "RNN", 1 }, { "LSTM", 4 }, { "GRU", 3 } };

    private static Cell<double> CellOf(string kind, CellInitialization? init = null) => kind switch
    {
        "RNN" => Cells.Rnn<double>(initialization: init),
        "LSTM" => Cells.Lstm<double>(init),
        "GRU" => Cells.Gru<double>(initialization: init),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void Default_cell_parameters_have_PyTorchs_shapes_and_bound_one_over_root_hidden(string kind, int gates)
    {
        const int input = 7, hidden = 20;
        var p = CellOf(kind).Initialize(input, hidden, seed: 3);
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], p.Names);
        Assert.Equal(new Shape(gates * hidden, input), p["weight_ih"].Shape);
        Assert.Equal(new Shape(gates * hidden, hidden), p["weight_hh"].Shape);
        Assert.Equal(new Shape(gates * hidden), p["bias_ih"].Shape);
        Assert.Equal(new Shape(gates * hidden), p["bias_hh"].Shape);
        double bound = 1.0 / Math.Sqrt(hidden);
        foreach (var name in p.Names)
        {
            var values = p[name].ToArray();
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            Assert.True(values.Max() > 0.6 * bound && values.Min() < -0.6 * bound, $"{name} spans [{values.Min()}, {values.Max()}]");
        }
    }

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void Cell_initialisation_is_deterministic_in_its_seed(string kind, int gates)
    {
        var init = CellInitialization.Default.WithWeights(WeightInitialization.XavierUniform, WeightInitialization.Orthogonal);
        var a = CellOf(kind, init).Initialize(3, 4, seed: 8);
        var b = CellOf(kind, init).Initialize(3, 4, seed: 8);
        var c = CellOf(kind, init).Initialize(3, 4, seed: 9);
        Assert.Equal(gates * 4, a["weight_ih"].Shape[0]);
        foreach (var name in a.Names)
        {
            Assert.Equal(a[name].ToArray(), b[name].ToArray());
            Assert.NotEqual(a[name].ToArray(), c[name].ToArray());
        }
    }

    [Fact]
    public void Lstm_forget_gate_bias_sets_bias_ih_forget_slice_and_zeroes_that_of_bias_hh()
    {
        const int hidden = 5;
        var plain = Cells.Lstm<double>().Initialize(3, hidden, seed: 11);
        var p = Cells.Lstm<double>(CellInitialization.Default.WithForgetGateBias(1.0)).Initialize(3, hidden, seed: 11);
        var biasIh = p["bias_ih"].ToArray();
        var biasHh = p["bias_hh"].ToArray();
        for (int k = 0; k < 4 * hidden; k++)
        {
            bool forget = k >= hidden && k < 2 * hidden; // gate order i, f, g, o
            Assert.Equal(forget ? 1.0 : plain["bias_ih"][k], biasIh[k]);
            Assert.Equal(forget ? 0.0 : plain["bias_hh"][k], biasHh[k]);
        }
        Assert.Equal(plain["weight_ih"].ToArray(), p["weight_ih"].ToArray());
        Assert.Equal(plain["weight_hh"].ToArray(), p["weight_hh"].ToArray());
    }

    [Fact]
    public void Forget_gate_bias_does_not_touch_cells_without_a_forget_gate()
    {
        var init = CellInitialization.Default.WithForgetGateBias(1.0);
        foreach (var kind in new[] { "RNN", "GRU" })
        {
            var plain = CellOf(kind).Initialize(3, 4, seed: 2);
            var p = CellOf(kind, init).Initialize(3, 4, seed: 2);
            foreach (var name in plain.Names) Assert.Equal(plain[name].ToArray(), p[name].ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void Without_bias_a_cell_has_only_weights_and_still_runs_and_differentiates(string kind, int gates)
    {
        var cell = CellOf(kind, CellInitialization.Default.WithBias(false).WithForgetGateBias(1.0));
        var p = cell.Initialize(3, 4, seed: 5);
        Assert.Equal(["weight_ih", "weight_hh"], p.Names);
        Assert.Equal(gates * 4, p["weight_hh"].Shape[0]);
        var state = cell.Step(p, cell.ZeroState(2, 4), Tensor.RandomNormal<double>([2, 3], seed: 6));
        Assert.Equal(new Shape(2, 4), state.Hidden.Shape);
        // Zero input from a zero state stays exactly zero when there is no bias.
        var still = cell.Step(p, cell.ZeroState(2, 4), Tensor.Zeros<double>(2, 3));
        Assert.All(still.Hidden.ToArray(), h => Assert.Equal(0.0, h));
        var inputs = Tensor.RandomNormal<double>([3, 2, 3], seed: 7);
        var result = GradCheck.Run(q => Recurrence.Scan(cell, q, cell.ZeroState(2, 4), inputs).Outputs, p);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void Orthogonal_weights_are_orthogonal_per_gate_block(string kind, int gates)
    {
        const int input = 9, hidden = 6;
        var init = CellInitialization.Default.WithWeights(WeightInitialization.Orthogonal, WeightInitialization.Orthogonal);
        var p = CellOf(kind, init).Initialize(input, hidden, seed: 13);
        var weightHh = p["weight_hh"].ToArray();
        var weightIh = p["weight_ih"].ToArray();
        for (int g = 0; g < gates; g++)
        {
            var recurrent = weightHh.AsSpan(g * hidden * hidden, hidden * hidden).ToArray();
            Assert.True(OrthogonalityError(recurrent, hidden, hidden) <= 1e-12, $"weight_hh block {g}");
            var inputBlock = weightIh.AsSpan(g * hidden * input, hidden * input).ToArray();
            Assert.True(OrthogonalityError(inputBlock, hidden, input) <= 1e-12, $"weight_ih block {g}");
        }
        // The whole stacked matrix is not orthogonal: each block is its own matrix, drawn independently.
        if (gates > 1) Assert.True(OrthogonalityError(weightHh, gates * hidden, hidden) > 0.1);
    }

    [Theory]
    [MemberData(nameof(CellKinds))]
    public void Xavier_weights_stay_within_the_bound_of_each_gate_block(string kind, int gates)
    {
        const int input = 9, hidden = 6;
        var init = CellInitialization.Default.WithWeights(WeightInitialization.XavierUniform, WeightInitialization.XavierUniform);
        var p = CellOf(kind, init).Initialize(input, hidden, seed: 2);
        Assert.Equal(new Shape(gates * hidden, input), p["weight_ih"].Shape);
        double inputBound = Math.Sqrt(6.0 / (hidden + input)), recurrentBound = Math.Sqrt(6.0 / (2 * hidden));
        Assert.All(p["weight_ih"].ToArray(), v => Assert.InRange(v, -inputBound, inputBound));
        Assert.All(p["weight_hh"].ToArray(), v => Assert.InRange(v, -recurrentBound, recurrentBound));
        Assert.True(p["weight_hh"].ToArray().Max(Math.Abs) > 0.8 * recurrentBound);
    }

    /// <summary>
    /// No two uniformly drawn pieces of a cell's parameters (a whole default-initialised tensor, or one Xavier gate block)
    /// come from the same random stream: normalised by their bounds, their first values differ.
    /// </summary>
    [Theory]
    [InlineData(WeightInitialization.XavierUniform, WeightInitialization.PyTorchDefault)]
    [InlineData(WeightInitialization.PyTorchDefault, WeightInitialization.XavierUniform)]
    [InlineData(WeightInitialization.XavierUniform, WeightInitialization.XavierUniform)]
    public void Every_parameter_and_gate_block_draws_its_own_random_numbers(WeightInitialization input, WeightInitialization recurrent)
    {
        const int inputSize = 3, hidden = 3;
        var init = CellInitialization.Default.WithWeights(input, recurrent);
        for (ulong seed = 0; seed < 40; seed++)
        {
            var p = Cells.Lstm<double>(init).Initialize(inputSize, hidden, seed);
            var pieces = new List<(string Name, double[] Normalised)>();
            void AddPieces(string name, WeightInitialization kind, int fanIn)
            {
                var values = p[name].ToArray();
                if (kind == WeightInitialization.XavierUniform)
                {
                    double bound = Math.Sqrt(6.0 / (hidden + fanIn));
                    for (int g = 0; g < 4; g++)
                        pieces.Add(($"{name} block {g}", values.Skip(g * hidden * fanIn).Take(hidden * fanIn).Select(v => v / bound).ToArray()));
                }
                else pieces.Add((name, values.Select(v => v * Math.Sqrt(hidden)).ToArray()));
            }
            AddPieces("weight_ih", input, inputSize);
            AddPieces("weight_hh", recurrent, hidden);
            AddPieces("bias_ih", WeightInitialization.PyTorchDefault, 0);
            AddPieces("bias_hh", WeightInitialization.PyTorchDefault, 0);
            for (int a = 0; a < pieces.Count; a++)
                for (int b = a + 1; b < pieces.Count; b++)
                    Assert.False(Math.Abs(pieces[a].Normalised[0] - pieces[b].Normalised[0]) < 1e-9,
                        $"seed {seed}: {pieces[a].Name} and {pieces[b].Name} start with the same random number");
        }
    }
}
