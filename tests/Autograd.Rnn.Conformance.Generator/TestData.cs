using Autograd.Rnn.Conformance.Tests;

namespace Autograd.Rnn.Conformance.Generator;

/// <summary>
/// Seeded random values, so every run of the generator writes the same inputs (and the reference files stay byte-stable).
/// </summary>
public static class TestData
{
    /// <summary>A tensor of the given shape with values uniform in (low, high), from a seed.</summary>
    public static Tensor<double> Uniform(int seed, int[] shape, double low = -1.0, double high = 1.0)
    {
        var random = new Random(seed);
        int size = 1;
        foreach (var dimension in shape) size *= dimension;
        var values = new double[size];
        for (int i = 0; i < size; i++) values[i] = low + (high - low) * random.NextDouble();
        // FromArray with no dimensions makes a vector; shape [] asks for a rank-0 tensor.
        return shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
    }

    /// <summary>The inputs of a case, each from its own seed derived from the case's name and the input's position.</summary>
    public static Params<double> For(ConformanceCase conformanceCase)
    {
        var parameters = Params<double>.Empty;
        int seed = StableHash(conformanceCase.Name);
        for (int i = 0; i < conformanceCase.Inputs.Length; i++)
        {
            var input = conformanceCase.Inputs[i];
            parameters = parameters.Add(input.Name, Uniform(seed + 7919 * (i + 1), input.Shape, input.Low, input.High));
        }
        return parameters;
    }

    /// <summary>A hash of a string that, unlike <see cref="string.GetHashCode()"/>, is the same in every process (FNV-1a).</summary>
    public static int StableHash(string text)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (char c in text) hash = (hash ^ c) * 16777619;
            return (int)(hash & 0x7fffffff);
        }
    }
}
