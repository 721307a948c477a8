#if TORCH
using TorchSharp;
#endif

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// One optimizer configuration, run for <see cref="OptimizerCases.Steps"/> steps from the same parameters with the same
/// gradient sequence: by us (<see cref="Ours"/>: the parameters after each step) and, in the generator, by torch.optim.
/// </summary>
public sealed record OptimizerCase(string Name, Func<Params<double>, Func<int, Params<double>>, Params<double>[]> Ours)
{
#if TORCH
    /// <summary>libtorch's side (generator only): the torch.optim optimizer over the given parameters.</summary>
    public Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer>? Torch { get; init; }
#endif

    public override string ToString() => Name;
}

/// <summary>The registry of optimizer configurations, and the clipping thresholds compared with clip_grad_norm_.</summary>
public static class OptimizerCases
{
    public const int Steps = 10;

    /// <summary>The max_norm values of the clipping cases: clipping hard, a little, and not at all.</summary>
    public static readonly double[] ClipMaxNorms = [0.5, 3.0, 100.0];

    /// <summary>The name of a clipping case.</summary>
    public static string ClipName(double maxNorm) => $"clip_grad_norm_ max_norm {maxNorm:R}";

    public static IEnumerable<OptimizerCase> All() =>
    [
        Sgd("SGD plain", SgdOptions.Default.WithLearningRate(0.1)),
        Sgd("SGD momentum", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.9)),
        Sgd("SGD momentum dampening", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.8).WithDampening(0.3)),
        Sgd("SGD Nesterov", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.9).WithNesterov(true)),
        Sgd("SGD weight decay", SgdOptions.Default.WithLearningRate(0.1).WithWeightDecay(0.05)),
        Sgd("SGD Nesterov weight decay", SgdOptions.Default.WithLearningRate(0.05).WithMomentum(0.7).WithNesterov(true).WithWeightDecay(0.01)),
        Adam("Adam", AdamOptions.Default.WithLearningRate(0.01)),
        Adam("Adam betas eps", AdamOptions.Default.WithLearningRate(0.02).WithBetas(0.8, 0.95).WithEpsilon(1e-6)),
        Adam("Adam weight decay", AdamOptions.Default.WithLearningRate(0.01).WithWeightDecay(0.1)),
        Adam("Adam AMSGrad", AdamOptions.Default.WithLearningRate(0.02).WithAmsGrad(true)),
        Adam("Adam maximize", AdamOptions.Default.WithLearningRate(0.01).WithMaximize(true)),
        Adam("Adam AMSGrad maximize weight decay", AdamOptions.Default.WithLearningRate(0.02).WithBetas(0.8, 0.9).WithWeightDecay(0.1).WithAmsGrad(true).WithMaximize(true)),
        Adam("AdamW", AdamOptions.AdamW.WithLearningRate(0.01)),
        Adam("AdamW strong decay", AdamOptions.AdamW.WithLearningRate(0.02).WithWeightDecay(0.3).WithBetas(0.85, 0.99)),
        Adam("AdamW AMSGrad", AdamOptions.AdamW.WithLearningRate(0.02).WithAmsGrad(true)),
        Adam("AdamW AMSGrad maximize", AdamOptions.AdamW.WithLearningRate(0.02).WithWeightDecay(0.05).WithBetas(0.8, 0.9).WithAmsGrad(true).WithMaximize(true)),
        RmsProp("RMSprop plain", RmsPropOptions.Default),
        RmsProp("RMSprop centered", RmsPropOptions.Default.WithCentered(true).WithAlpha(0.9)),
        RmsProp("RMSprop momentum", RmsPropOptions.Default.WithMomentum(0.9).WithLearningRate(0.005)),
        RmsProp("RMSprop centered momentum weight decay", RmsPropOptions.Default.WithCentered(true).WithMomentum(0.5).WithWeightDecay(0.05)),
        Adagrad("Adagrad", AdagradOptions.Default.WithLearningRate(0.1)),
        Adagrad("Adagrad lr decay accumulator weight decay",
            AdagradOptions.Default.WithLearningRate(0.1).WithLearningRateDecay(0.05).WithInitialAccumulatorValue(0.2).WithWeightDecay(0.02)),
    ];

    private static OptimizerCase Sgd(string name, SgdOptions o) =>
        Case(name, p => Rnn.Sgd.Init(p, o), (p, g, s) => Rnn.Sgd.Step(p, g, s, o))
#if TORCH
        with { Torch = ps => torch.optim.SGD(ps, o.LearningRate, o.Momentum, o.Dampening, o.WeightDecay, o.Nesterov) }
#endif
        ;

    // Adam and AdamW run through the IOptimizer value (Optimizer.Adam), which the static Adam.Step also serves.
    private static OptimizerCase Adam(string name, AdamOptions o) =>
        Case(name, p => Optimizer.Adam(o).Init(p), (p, g, s) => Optimizer.Adam(o).Update(p, g, s))
#if TORCH
        with
        {
            Torch = ps => o.DecoupledWeightDecay
                ? torch.optim.AdamW(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.AmsGrad, o.Maximize)
                : torch.optim.Adam(ps, o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.AmsGrad, o.Maximize),
        }
#endif
        ;

    private static OptimizerCase RmsProp(string name, RmsPropOptions o) =>
        Case(name, p => Rnn.RmsProp.Init(p, o), (p, g, s) => Rnn.RmsProp.Step(p, g, s, o))
#if TORCH
        with { Torch = ps => torch.optim.RMSProp(ps, o.LearningRate, o.Alpha, o.Epsilon, o.WeightDecay, o.Momentum, o.Centered) }
#endif
        ;

    private static OptimizerCase Adagrad(string name, AdagradOptions o) =>
        Case(name, p => Rnn.Adagrad.Init(p, o), (p, g, s) => Rnn.Adagrad.Step(p, g, s, o))
#if TORCH
        with { Torch = ps => torch.optim.Adagrad(ps, o.LearningRate, o.LearningRateDecay, o.WeightDecay, o.InitialAccumulatorValue, o.Epsilon) }
#endif
        ;

    // Our side of every optimizer: init, then Steps pure steps, keeping the parameters after each.
    private static OptimizerCase Case<TState>(string name, Func<Params<double>, TState> init,
        Func<Params<double>, Params<double>, TState, OptimizerStep<double, TState>> step) =>
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
        });
}
