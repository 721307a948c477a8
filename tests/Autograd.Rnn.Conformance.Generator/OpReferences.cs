namespace Autograd.Rnn.Conformance.Generator;

/// <summary>
/// libtorch's side of every op case (Cases/*.cs) and of the deliberately wrong cases of the comparison's own tests.
/// Non-scalar outputs are reduced with a seeded random cotangent c, as loss = sum(output · c), so each gradient is the
/// vector-Jacobian product with c — a stronger check than an all-ones cotangent, which would not notice permuted or
/// mis-weighted gradient entries.
/// </summary>
public static class OpReferences
{
    /// <summary>Every op case, in registry order (the order the tests list them).</summary>
    public static IEnumerable<ConformanceCase> Registry() => OpCases.All().Concat(CheckCases.All());

    public static IEnumerable<ReferenceCase> All() => Registry().Select(Run);

    private static ReferenceCase Run(ConformanceCase c)
    {
        var torchSide = c.Torch ?? throw new InvalidOperationException($"{c.Name}: the case has no libtorch side.");
        var inputs = TestData.For(c);
        var names = inputs.Names.ToArray();
        var builder = new CaseBuilder(c.Name);
        foreach (var name in names) builder.Input(name, inputs[name]);

        using var scope = torch.NewDisposeScope();
        var leaves = names.ToDictionary(name => name, name => inputs[name].ToTorch(requiresGrad: true));
        var output = torchSide(name => leaves[name]);
        var cotangent = TestData.Uniform(TestData.StableHash(c.Name + "/cotangent"), Array.ConvertAll(output.shape, d => checked((int)d)));
        var loss = (output * cotangent.ToTorch()).sum();
        var gradients = torch.autograd.grad([loss], names.Select(name => leaves[name]).ToArray(), allow_unused: false);

        builder.Constant("cotangent", cotangent).Reference("forward value", output).Reference("loss", loss);
        for (int i = 0; i < names.Length; i++) builder.Reference($"gradient of {names[i]}", gradients[i]);
        return builder.Build();
    }
}
