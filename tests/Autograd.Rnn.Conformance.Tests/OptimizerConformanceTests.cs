using TorchSharp;
using Xunit.Abstractions;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Our pure optimizers against torch.optim (TorchSharp) in float64: the same parameters, then ten steps with the same
/// gradient sequence (seeded, different at every step, and all zero for one parameter at one step, which must still
/// advance its state), compared after every step to 1e-12 relative (<see cref="Conformance.Tolerance"/>).
/// </summary>
[Collection(LibTorchCollection.Name)]
public sealed class OptimizerConformanceTests(ITestOutputHelper output)
{
    private const int Steps = 10;

    /// <summary>Our side: the parameters after each of the steps. Torch's side: the same, through a torch.optim optimizer.</summary>
    public sealed record OptimizerCase(
        string Name,
        Func<Params<double>, Func<int, Params<double>>, Params<double>[]> Ours,
        Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> Torch)
    {
        public override string ToString() => Name;
    }

    private static OptimizerCase Case<TState>(string name, Func<Params<double>, TState> init,
        Func<Params<double>, Params<double>, TState, OptimizerStep<double, TState>> step,
        Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> torchOptimizer) =>
        new(name, (parameters, gradients) =>
        {
            var state = init(parameters);
            var history = new Params<double>[Steps];
            for (int s = 0; s < Steps; s++)
            {
                (parameters, state) = step(parameters, gradients(s), state);
                history[s] = parameters;
            }
            return history;
        }, torchOptimizer);

    private static readonly IReadOnlyDictionary<string, OptimizerCase> Registry = new[]
    {
        Sgd("SGD plain", SgdOptions.Default.WithLearningRate(0.1)),
        Sgd("SGD momentum", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.9)),
        Sgd("SGD momentum dampening", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.8).WithDampening(0.3)),
        Sgd("SGD Nesterov", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.9).WithNesterov(true)),
        Sgd("SGD weight decay", SgdOptions.Default.WithLearningRate(0.1).WithWeightDecay(0.05)),
        Sgd("SGD Nesterov weight decay", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.7).WithNesterov(true).WithWeightDecay(0.01)),
        Adam("Adam", AdamOptions.Default.WithLearningRate(0.01)),
        Adam("Adam betas eps", AdamOptions.Default.WithLearningRate(0.02).WithBetas(0.8, 0.95).WithEpsilon(1e-6)),
        Adam("Adam weight decay", AdamOptions.Default.WithLearningRate(0.01).WithWeightDecay(0.1)),
        AdamW("AdamW", AdamWOptions.Default.WithLearningRate(0.01)),
        AdamW("AdamW strong decay", AdamWOptions.Default.WithLearningRate(0.02).WithWeightDecay(0.3).WithBetas(0.85, 0.99)),
        RmsProp("RMSprop plain", RmsPropOptions.Default),
        RmsProp("RMSprop centered", RmsPropOptions.Default.WithCentered(true).WithAlpha(0.9)),
        RmsProp("RMSprop momentum", RmsPropOptions.Default.WithMomentum(0.9).WithLearningRate(0.005)),
        RmsProp("RMSprop centered momentum weight decay", RmsPropOptions.Default.WithCentered(true).WithMomentum(0.5).WithWeightDecay(0.05)),
        Adagrad("Adagrad", AdagradOptions.Default.WithLearningRate(0.1)),
        Adagrad("Adagrad lr decay accumulator weight decay",
            AdagradOptions.Default.WithLearningRate(0.1).WithLearningRateDecay(0.05).WithInitialAccumulatorValue(0.2).WithWeightDecay(0.02)),
    }.ToDictionary(c => c.Name);

    private static OptimizerCase Sgd(string name, SgdOptions o) =>
        Case(name, p => Rnn.Sgd.Init(p, o), (p, g, s) => Rnn.Sgd.Step(p, g, s, o),
            ps => torch.optim.SGD(ps, o.LearningRate, o.Momentum, o.Dampening, o.WeightDecay, o.Nesterov));

    private static OptimizerCase Adam(string name, AdamOptions o) =>
        Case(name, p => Rnn.Adam.Init(p, o), (p, g, s) => Rnn.Adam.Step(p, g, s, o),
            ps => torch.optim.Adam(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay));

    private static OptimizerCase AdamW(string name, AdamWOptions o) =>
        Case(name, p => Rnn.AdamW.Init(p, o), (p, g, s) => Rnn.AdamW.Step(p, g, s, o),
            ps => torch.optim.AdamW(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay));

    private static OptimizerCase RmsProp(string name, RmsPropOptions o) =>
        Case(name, p => Rnn.RmsProp.Init(p, o), (p, g, s) => Rnn.RmsProp.Step(p, g, s, o),
            ps => torch.optim.RMSProp(ps, o.LearningRate, o.Alpha, o.Epsilon, o.WeightDecay, o.Momentum, o.Centered));

    private static OptimizerCase Adagrad(string name, AdagradOptions o) =>
        Case(name, p => Rnn.Adagrad.Init(p, o), (p, g, s) => Rnn.Adagrad.Step(p, g, s, o),
            ps => torch.optim.Adagrad(ps, o.LearningRate, o.LearningRateDecay, o.WeightDecay, o.InitialAccumulatorValue, o.Epsilon));

    public static TheoryData<string> Cases => new(Registry.Keys);

    private static Params<double> InitialParameters() => Params<double>.Empty
        .Add("weight_ih_l0", TestData.Uniform(101, [3, 4]))
        .Add("bias_ih_l0", TestData.Uniform(102, [4]));

    /// <summary>Seeded, different at every step; the bias's gradient is zero at step 4 (its state must still advance).</summary>
    private static Params<double> Gradients(int step) => Params<double>.Empty
        .Add("weight_ih_l0", TestData.Uniform(1000 + step, [3, 4], -2, 2))
        .Add("bias_ih_l0", step == 4 ? Tensor.Zeros<double>(4) : TestData.Uniform(2000 + step, [4], -2, 2));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ten_steps_match_torch_optim_in_float64(string name)
    {
        var optimizerCase = Registry[name];
        var ours = optimizerCase.Ours(InitialParameters(), Gradients);

        using var scope = torch.NewDisposeScope();
        var names = InitialParameters().Names.ToArray();
        var parameters = names.Select(n => new TorchSharp.Modules.Parameter(InitialParameters()[n].ToTorch(), requires_grad: true)).ToArray();
        var optimizer = optimizerCase.Torch(parameters);
        double worst = 0;
        for (int step = 0; step < Steps; step++)
        {
            var gradients = Gradients(step);
            for (int i = 0; i < names.Length; i++) parameters[i].grad = gradients[names[i]].ToTorch();
            optimizer.step();
            for (int i = 0; i < names.Length; i++)
            {
                var reference = parameters[i].detach().ToOurs().ToArray();
                var actual = ours[step][names[i]].ToArray();
                for (int k = 0; k < reference.Length; k++)
                {
                    double relative = Math.Abs(actual[k] - reference[k]) / Math.Max(1.0, Math.Abs(reference[k]));
                    Assert.True(relative <= Conformance.Tolerance,
                        $"{name}, step {step + 1}, {names[i]}[{k}]: ours {actual[k]:R}, torch {reference[k]:R} (relative difference {relative:E2})");
                    worst = Math.Max(worst, relative);
                }
            }
        }
        output.WriteLine($"{name}: largest relative difference over {Steps} steps {worst:E2}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(100.0)]
    public void Clipping_by_global_norm_matches_clip_grad_norm(double maxNorm)
    {
        var gradients = Gradients(0);
        var ours = Clip.ByGlobalNorm(gradients, maxNorm);

        using var scope = torch.NewDisposeScope();
        var names = gradients.Names.ToArray();
        var parameters = names.Select(n => new TorchSharp.Modules.Parameter(InitialParameters()[n].ToTorch(), requires_grad: true)).ToArray();
        for (int i = 0; i < names.Length; i++) parameters[i].grad = gradients[names[i]].ToTorch();
        double torchNorm = torch.nn.utils.clip_grad_norm_(parameters, maxNorm, 2.0);

        Assert.True(Math.Abs(ours.Norm - torchNorm) <= Conformance.Tolerance * Math.Max(1, torchNorm), $"norm {ours.Norm:R}, torch {torchNorm:R}");
        double worst = Math.Abs(ours.Norm - torchNorm) / Math.Max(1, torchNorm);
        for (int i = 0; i < names.Length; i++)
        {
            var reference = parameters[i].grad!.ToOurs().ToArray();
            var actual = ours.Gradients[names[i]].ToArray();
            for (int k = 0; k < reference.Length; k++)
            {
                double relative = Math.Abs(actual[k] - reference[k]) / Math.Max(1.0, Math.Abs(reference[k]));
                Assert.True(relative <= Conformance.Tolerance, $"{names[i]}[{k}]: ours {actual[k]:R}, torch {reference[k]:R}");
                worst = Math.Max(worst, relative);
            }
        }
        output.WriteLine($"clip_grad_norm_ (max {maxNorm}): norm {torchNorm:G6}, largest relative difference {worst:E2}");
    }
}
