using Xunit.Abstractions;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Our pure optimizers against torch.optim in float64 (References/optimizers.txt): the same parameters, then ten steps
/// with the same gradient sequence (seeded, different at every step, and all zero for one parameter at one step, which
/// must still advance its state), compared after every step to 1e-12 relative (<see cref="Conformance.Tolerance"/>).
/// </summary>
public sealed class OptimizerConformanceTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, OptimizerCase> Registry = OptimizerCases.All().ToDictionary(c => c.Name);

    public static TheoryData<string> Cases => new(Registry.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ten_steps_match_torch_optim_in_float64(string name)
    {
        var reference = Conformance.Optimizers[name];
        var initial = reference.Inputs();
        var names = initial.Names.ToArray();
        Params<double> Gradients(int step) => names.Aggregate(Params<double>.Empty,
            (gradients, n) => gradients.Add(n, reference.Get(TensorRole.Constant, $"gradient {step + 1} {n}")));
        var ours = Registry[name].Ours(initial, Gradients);

        double worst = 0;
        for (int step = 0; step < OptimizerCases.Steps; step++)
            for (int i = 0; i < names.Length; i++)
            {
                var expected = reference.Get(TensorRole.Reference, $"step {step + 1} {names[i]}").ToArray();
                var actual = ours[step][names[i]].ToArray();
                Assert.Equal(expected.Length, actual.Length);
                for (int k = 0; k < expected.Length; k++)
                {
                    double relative = Math.Abs(actual[k] - expected[k]) / Math.Max(1.0, Math.Abs(expected[k]));
                    Assert.True(relative <= Conformance.Tolerance,
                        $"{name}, step {step + 1}, {names[i]}[{k}]: ours {actual[k]:R}, torch {expected[k]:R} (relative difference {relative:E2})");
                    worst = Math.Max(worst, relative);
                }
            }
        output.WriteLine($"{name}: largest relative difference over {OptimizerCases.Steps} steps {worst:E2}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(100.0)]
    public void Clipping_by_global_norm_matches_clip_grad_norm(double maxNorm)
    {
        var reference = Conformance.Optimizers[OptimizerCases.ClipName(maxNorm)];
        var gradients = reference.All(TensorRole.Constant).Aggregate(Params<double>.Empty, (p, t) => p.Add(t.Name, t.Value));
        var ours = Clip.ByGlobalNorm(gradients, maxNorm);

        double torchNorm = reference.Get(TensorRole.Reference, "norm").ToArray()[0];
        Assert.True(Math.Abs(ours.Norm - torchNorm) <= Conformance.Tolerance * Math.Max(1, torchNorm), $"norm {ours.Norm:R}, torch {torchNorm:R}");
        double worst = Math.Abs(ours.Norm - torchNorm) / Math.Max(1, torchNorm);
        foreach (var name in gradients.Names)
        {
            var expected = reference.Get(TensorRole.Reference, $"clipped {name}").ToArray();
            var actual = ours.Gradients[name].ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int k = 0; k < expected.Length; k++)
            {
                double relative = Math.Abs(actual[k] - expected[k]) / Math.Max(1.0, Math.Abs(expected[k]));
                Assert.True(relative <= Conformance.Tolerance, $"{name}[{k}]: ours {actual[k]:R}, torch {expected[k]:R}");
                worst = Math.Max(worst, relative);
            }
        }
        output.WriteLine($"clip_grad_norm_ (max {maxNorm}): norm {torchNorm:G6}, largest relative difference {worst:E2}");
    }
}
