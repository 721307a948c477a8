namespace Autograd.Rnn.Tests.Training;

/// <summary>Parameters, gradient sequences and comparisons shared by the optimizer tests.</summary>
internal static class OptimizerTestData
{
    public static Params<double> Parameters() => Params<double>.Empty
        .Add("weight", Tensor.RandomNormal<double>([2, 3], seed: 11))
        .Add("bias", Tensor.RandomNormal<double>([3], seed: 12));

    /// <summary>A different gradient at every step (same names and shapes as <see cref="Parameters"/>).</summary>
    public static Params<double> Gradients(int step) => Params<double>.Empty
        .Add("weight", Tensor.RandomNormal<double>([2, 3], seed: 100 + (ulong)step))
        .Add("bias", Tensor.RandomNormal<double>([3], seed: 200 + (ulong)step));

    /// <summary>The values of every tensor, by name, as flat arrays (a copy to compute references on).</summary>
    public static Dictionary<string, double[]> Values(Params<double> parameters) =>
        parameters.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());

    /// <summary>Asserts |actual − expected| ≤ 1e-12·max(1, |expected|) for every element.</summary>
    public static void AssertClose(Dictionary<string, double[]> expected, Params<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (name, values) in expected)
        {
            var got = actual[name].ToArray();
            Assert.Equal(values.Length, got.Length);
            for (int i = 0; i < values.Length; i++)
                Assert.True(Math.Abs(got[i] - values[i]) <= 1e-12 * Math.Max(1, Math.Abs(values[i])),
                    $"{what} {name}[{i}]: {got[i]:R}, expected {values[i]:R}");
        }
    }

    /// <summary>Asserts two collections hold bit-identical tensors under the same names.</summary>
    public static void AssertIdentical(Params<double> expected, Params<double> actual)
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.Shape, actual[name].Shape);
            Assert.Equal(tensor.ToArray().Select(BitConverter.DoubleToInt64Bits), actual[name].ToArray().Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>Applies <paramref name="update"/> element by element to every named array (a scalar reference implementation).</summary>
    public static void ForEachElement(Dictionary<string, double[]> theta, Action<string, int> update)
    {
        foreach (var (name, values) in theta)
            for (int i = 0; i < values.Length; i++) update(name, i);
    }
}
