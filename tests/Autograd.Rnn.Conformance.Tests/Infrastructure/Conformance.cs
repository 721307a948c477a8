using TorchSharp;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Runs a <see cref="ConformanceCase"/> on both sides and compares the forward values and the gradients of every
/// input. Non-scalar outputs are reduced with a seeded random cotangent c, as loss = sum(output · c), so each
/// gradient is the vector-Jacobian product with c — a stronger check than an all-ones cotangent, which would
/// not notice permuted or mis-weighted gradient entries.
/// </summary>
public static class Conformance
{
    /// <summary>
    /// Tolerance in float64: element by element, |ours − libtorch| ≤ 1e-12 · max(1, |libtorch|), i.e. 1e-12 relative,
    /// with values below 1 in magnitude compared to 1e-12 absolute (a relative test near zero would only measure
    /// cancellation in sums). Both sides evaluate the same formulas in double, so they agree to a few ulps
    /// (about 1e-16 relative) times the length of the longest sum; 1e-12 leaves room for that and nothing else.
    /// </summary>
    public const double Tolerance = 1e-12;

    /// <summary>Asserts that our forward value and gradients match libtorch's for the case.</summary>
    public static void Check(ConformanceCase conformanceCase)
    {
        var inputs = TestData.For(conformanceCase);
        var output = conformanceCase.Ours(inputs);
        var cotangent = TestData.Uniform(TestData.StableHash(conformanceCase.Name + "/cotangent"), output.Shape.ToArray());
        var ours = Grad.ValueAndGrad(p => Tensor.Sum(conformanceCase.Ours(p) * cotangent), inputs);

        using var scope = torch.NewDisposeScope();
        var leaves = inputs.ToDictionary(pair => pair.Key, pair => pair.Value.ToTorch(requiresGrad: true));
        var torchOutput = conformanceCase.Torch(name => leaves[name]);
        var torchLoss = (torchOutput * cotangent.ToTorch()).sum();
        var names = inputs.Names.ToArray();
        var torchGradients = torch.autograd.grad([torchLoss], names.Select(name => leaves[name]).ToArray(), allow_unused: false);

        var comparison = new TensorComparison(Tolerance);
        comparison.Compare("forward value", output, torchOutput.detach().ToOurs());
        comparison.Compare("loss", ours.Value, torchLoss.detach().ToOurs());
        for (int i = 0; i < names.Length; i++)
            comparison.Compare($"gradient of {names[i]}", ours.Gradients[names[i]], torchGradients[i].ToOurs());
        Assert.True(comparison.Passed, $"{conformanceCase.Name} differs from libtorch:{Environment.NewLine}{comparison.Failures}");
    }
}
