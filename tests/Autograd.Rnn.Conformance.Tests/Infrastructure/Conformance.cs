namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// The committed reference files (References/, copied beside the test assembly), and the check of an op case against
/// them: our forward value and the gradient of every input, for loss = sum(output · c) with the seeded random cotangent
/// c stored in the file, so each gradient is the vector-Jacobian product with c — a stronger check than an all-ones
/// cotangent, which would not notice permuted or mis-weighted gradient entries.
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

    private static readonly Lazy<ReferenceFile> ops = new(() => Load("ops.txt"));
    private static readonly Lazy<ReferenceFile> recurrent = new(() => Load("recurrent.txt"));
    private static readonly Lazy<ReferenceFile> optimizers = new(() => Load("optimizers.txt"));

    /// <summary>The op cases (Cases/*.cs) and the comparison's own wrong cases (<see cref="CheckCases"/>).</summary>
    public static ReferenceFile Ops => ops.Value;

    /// <summary>The recurrent layers and cells (<see cref="RecurrentCases"/>).</summary>
    public static ReferenceFile Recurrent => recurrent.Value;

    /// <summary>The optimizers and clipping (<see cref="OptimizerCases"/>).</summary>
    public static ReferenceFile Optimizers => optimizers.Value;

    /// <summary>The file names, for the tests that check every file.</summary>
    public static IReadOnlyList<(string Name, ReferenceFile File)> Files => [("ops.txt", Ops), ("recurrent.txt", Recurrent), ("optimizers.txt", Optimizers)];

    private static ReferenceFile Load(string fileName) => ReferenceFile.Load(Path.Combine(AppContext.BaseDirectory, "References", fileName));

    /// <summary>Asserts that our forward value and gradients match libtorch's stored ones for the case.</summary>
    public static void Check(ConformanceCase conformanceCase)
    {
        var reference = Ops[conformanceCase.Name];
        var inputs = reference.Inputs();
        // The stored inputs must be the ones the case declares; otherwise the case changed after the files were written.
        Assert.True(inputs.Names.SequenceEqual(conformanceCase.Inputs.Select(i => i.Name))
                && conformanceCase.Inputs.All(i => inputs[i.Name].Shape.ToArray().SequenceEqual(i.Shape)),
            $"{conformanceCase.Name}: the reference file's inputs are not the case's; regenerate the files (tests/Autograd.Rnn.Conformance.Generator).");

        var comparison = new TensorComparison(Tolerance);
        var output = conformanceCase.Ours(inputs);
        var value = reference.Get(TensorRole.Reference, "forward value");
        comparison.Compare("forward value", output, value);
        if (output.Shape == value.Shape) // else the cotangent, shaped like libtorch's output, does not fit ours
        {
            var cotangent = reference.Get(TensorRole.Constant, "cotangent");
            var ours = Grad.ValueAndGrad(p => Tensor.Sum(conformanceCase.Ours(p) * cotangent), inputs);
            comparison.Compare("loss", ours.Value, reference.Get(TensorRole.Reference, "loss"));
            foreach (var name in inputs.Names)
                comparison.Compare($"gradient of {name}", ours.Gradients[name], reference.Get(TensorRole.Reference, $"gradient of {name}"));
        }
        Assert.True(comparison.Passed, $"{conformanceCase.Name} differs from libtorch:{Environment.NewLine}{comparison.Failures}");
    }
}
