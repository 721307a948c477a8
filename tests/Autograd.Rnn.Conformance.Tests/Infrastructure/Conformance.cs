using System.Text;
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

        var failures = new StringBuilder();
        Compare(failures, "forward value", output, torchOutput.detach().ToOurs());
        Compare(failures, "loss", ours.Value, torchLoss.detach().ToOurs());
        for (int i = 0; i < names.Length; i++)
            Compare(failures, $"gradient of {names[i]}", ours.Gradients[names[i]], torchGradients[i].ToOurs());
        Assert.True(failures.Length == 0, $"{conformanceCase.Name} differs from libtorch:{Environment.NewLine}{failures}");
    }

    private static void Compare(StringBuilder failures, string what, Tensor<double> ours, Tensor<double> reference)
    {
        if (ours.Shape != reference.Shape)
        {
            failures.AppendLine($"  {what}: shape {ours.Shape}, libtorch {reference.Shape}");
            return;
        }
        var a = ours.ToArray();
        var b = reference.ToArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double error = Math.Abs(a[i] - b[i]);
            double allowed = Tolerance * Math.Max(1.0, Math.Abs(b[i]));
            // Written so that a NaN on either side fails.
            if (!(error <= allowed) && (worst < 0 || !(error / allowed <= worstExcess)))
            {
                worst = i;
                worstExcess = error / allowed;
            }
        }
        if (worst >= 0)
            failures.AppendLine(
                $"  {what} [{reference.Shape}]: element {worst} is {a[worst]:R}, libtorch {b[worst]:R} " +
                $"(|difference| {Math.Abs(a[worst] - b[worst]):E2}, {worstExcess:G3} times the tolerance)");
    }
}
