using FsCheck;
using FsCheck.Fluent;
using Autograd.Rnn.Tests.Gradients;

namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>
/// A stacked (2 layers), bidirectional, masked (variable lengths) layer of each built-in cell has reverse-mode
/// gradients equal to central finite differences in double, for every parameter and the input:
/// |analytic − numeric| ≤ 1e-6 + 1e-4·|numeric|.
/// </summary>
public class LayerGradientProperties
{
    private const int Cases = 6;

    public sealed record LayerCase(int Time, int Batch, int Input, int Hidden, bool BatchFirst, int[] Lengths, ulong Seed)
    {
        public override string ToString() =>
            $"time {Time}, batch {Batch}, input {Input}, hidden {Hidden}, batchFirst {BatchFirst}, lengths [{string.Join(",", Lengths)}], seed {Seed}";
    }

    private static Arbitrary<LayerCase> Layers { get; } =
        (from time in Gen.Choose(1, 4)
         from batch in Gen.Choose(1, 3)
         from input in Gen.Choose(1, 3)
         from hidden in Gen.Choose(1, 3)
         from batchFirst in Gen.Elements(true, false)
         from lengths in Gen.ArrayOf(Gen.Choose(1, time), batch)
         from seed in Generators.Seed
         select new LayerCase(time, batch, input, hidden, batchFirst, lengths, seed)).ToArbitrary();

    public static TheoryData<string> CellNames() => CellGradientProperties.CellNames();

    [Theory]
    [MemberData(nameof(CellNames))]
    public void Stacked_bidirectional_masked_layer_gradient_matches_finite_differences(string name)
    {
        var cell = CellGradientProperties.CellNamed(name);
        Prop.ForAll(Layers, c =>
        {
            var options = new RecurrentLayerOptions { NumLayers = 2, Bidirectional = true, BatchFirst = c.BatchFirst };
            var layer = new RecurrentLayer<double>(cell, c.Input, c.Hidden, options);
            int[] inputShape = c.BatchFirst ? [c.Batch, c.Time, c.Input] : [c.Time, c.Batch, c.Input];
            var parameters = layer.Initialize(c.Seed).Add("input", Tensor.RandomNormal<double>(inputShape, c.Seed + 1));
            var result = GradCheck.Run(p =>
            {
                var run = layer.Apply(p, p["input"], c.Lengths);
                return Tensor.Concat([run.Output.Reshape(-1), run.FinalHidden.Reshape(-1)], 0);
            }, parameters);
            return result.Passed.Label($"{name} at {c}: {result}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
    }
}
