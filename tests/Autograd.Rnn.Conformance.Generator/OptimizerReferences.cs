namespace Autograd.Rnn.Conformance.Generator;

/// <summary>
/// torch.optim (through TorchSharp) in float64: the same parameters, then ten steps with the same gradient sequence
/// (seeded, different at every step, and all zero for one parameter at one step, which must still advance its state);
/// stored: the parameters after every step. And clip_grad_norm_ on one set of gradients: the norm and the clipped
/// gradients.
/// </summary>
public static class OptimizerReferences
{
    public static IEnumerable<ReferenceCase> All() =>
        OptimizerCases.All().Select(Optimizer).Concat(OptimizerCases.ClipMaxNorms.Select(Clip));

    private static Params<double> InitialParameters() => Params<double>.Empty
        .Add("weight_ih_l0", TestData.Uniform(101, [3, 4]))
        .Add("bias_ih_l0", TestData.Uniform(102, [4]));

    /// <summary>Seeded, different at every step; the bias's gradient is zero at step 4 (its state must still advance).</summary>
    private static Params<double> Gradients(int step) => Params<double>.Empty
        .Add("weight_ih_l0", TestData.Uniform(1000 + step, [3, 4], -2, 2))
        .Add("bias_ih_l0", step == 4 ? Tensor.Zeros<double>(4) : TestData.Uniform(2000 + step, [4], -2, 2));

    private static ReferenceCase Optimizer(OptimizerCase c)
    {
        var torchOptimizer = c.Torch ?? throw new InvalidOperationException($"{c.Name}: the case has no torch.optim side.");
        var initial = InitialParameters();
        var names = initial.Names.ToArray();
        var builder = new CaseBuilder(c.Name);
        foreach (var name in names) builder.Input(name, initial[name]);
        for (int step = 0; step < OptimizerCases.Steps; step++)
            foreach (var name in names) builder.Constant($"gradient {step + 1} {name}", Gradients(step)[name]);

        using var scope = torch.NewDisposeScope();
        var parameters = names.Select(n => new TorchSharp.Modules.Parameter(initial[n].ToTorch(), requires_grad: true)).ToArray();
        var optimizer = torchOptimizer(parameters);
        for (int step = 0; step < OptimizerCases.Steps; step++)
        {
            var gradients = Gradients(step);
            for (int i = 0; i < names.Length; i++) parameters[i].grad = gradients[names[i]].ToTorch();
            optimizer.step();
            for (int i = 0; i < names.Length; i++) builder.Reference($"step {step + 1} {names[i]}", parameters[i]);
        }
        return builder.Build();
    }

    private static ReferenceCase Clip(double maxNorm)
    {
        var gradients = Gradients(0);
        var names = gradients.Names.ToArray();
        var builder = new CaseBuilder(OptimizerCases.ClipName(maxNorm));
        foreach (var name in names) builder.Constant(name, gradients[name]);

        using var scope = torch.NewDisposeScope();
        var parameters = names.Select(n => new TorchSharp.Modules.Parameter(InitialParameters()[n].ToTorch(), requires_grad: true)).ToArray();
        for (int i = 0; i < names.Length; i++) parameters[i].grad = gradients[names[i]].ToTorch();
        double norm = torch.nn.utils.clip_grad_norm_(parameters, maxNorm, 2.0);
        builder.Reference("norm", torch.tensor(norm, dtype: torch.float64));
        for (int i = 0; i < names.Length; i++) builder.Reference($"clipped {names[i]}", parameters[i].grad!);
        return builder.Build();
    }
}
