using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Parameter initialisers. Every one takes an explicit seed: the same seed gives the same tensor, bit for bit.
/// </summary>
public static class Init
{
    /// <summary>Uniform on [−<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bound is negative or not finite.</exception>
    public static Tensor<T> Uniform<T>(int[] shape, double bound, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.NonNegative(bound, nameof(bound), "Init.Uniform");
        return Tensor.RandomUniform<T>(shape, seed, -bound, bound);
    }

    /// <summary>
    /// PyTorch's default for recurrent layers and <c>nn.Linear</c>'s bias: U(−1/√<paramref name="fan"/>, 1/√<paramref name="fan"/>),
    /// where fan is the hidden size for recurrent layers and the input size for linear layers. A fan of 0 gives zeros,
    /// as PyTorch's <c>nn.Linear</c> does for its bias.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fan is negative.</exception>
    public static Tensor<T> PyTorchDefault<T>(int[] shape, int fan, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.NonNegative(fan, nameof(fan), "Init.PyTorchDefault");
        return Uniform<T>(shape, fan > 0 ? 1.0 / Math.Sqrt(fan) : 0.0, seed);
    }

    /// <summary>
    /// Xavier/Glorot uniform (Glorot and Bengio 2010): U(−a, a) with a = gain·√(6 / (fanIn + fanOut)),
    /// for a weight [fanOut, fanIn]. With both fans 0 the weight is empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fan is negative, or the gain is negative or not finite.</exception>
    public static Tensor<T> XavierUniform<T>(int fanOut, int fanIn, ulong seed, double gain = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.NonNegative(fanOut, nameof(fanOut), "Init.XavierUniform");
        Require.NonNegative(fanIn, nameof(fanIn), "Init.XavierUniform");
        Require.NonNegative(gain, nameof(gain), "Init.XavierUniform");
        // fanIn + fanOut = 0 only for the empty [0, 0] weight, which has no entries to bound (6/0 would be ∞).
        long fans = (long)fanIn + fanOut;
        return Uniform<T>([fanOut, fanIn], fans == 0 ? 0.0 : gain * Math.Sqrt(6.0 / fans), seed);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix [rows, columns] (Saxe et al. 2014): orthonormal rows when rows ≤ columns, orthonormal
    /// columns otherwise, scaled by <paramref name="gain"/>. Made by orthonormalising a seeded Gaussian matrix
    /// (modified Gram–Schmidt in double, with the sign convention that makes the result uniformly distributed).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the gain is not finite.</exception>
    /// <exception cref="ArgumentException">rows·columns is more than <see cref="Shape.MaxSize"/>.</exception>
    public static Tensor<T> Orthogonal<T>(int rows, int columns, ulong seed, double gain = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.NonNegative(rows, nameof(rows), "Init.Orthogonal");
        Require.NonNegative(columns, nameof(columns), "Init.Orthogonal");
        Require.Finite(gain, nameof(gain), "Init.Orthogonal");
        var shape = Shape.Result("Init.Orthogonal: the matrix", rows, columns);
        // Orthonormalise the vectors of the longer side's complement: work on min(rows, columns) vectors of length max.
        bool transpose = rows < columns;
        int count = transpose ? rows : columns, length = transpose ? columns : rows;
        var gaussian = Tensor.RandomNormal<double>([count, length], seed).ToArray();
        var q = new double[count * length];
        for (int v = 0; v < count; v++)
        {
            var vector = gaussian.AsSpan(v * length, length).ToArray();
            double originalNorm = Norm(vector);
            for (int u = 0; u < v; u++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++) dot += vector[i] * q[u * length + i];
                for (int i = 0; i < length; i++) vector[i] -= dot * q[u * length + i];
            }
            double norm = Norm(vector);
            if (norm < 1e-12 * Math.Max(1.0, originalNorm))
                throw new InvalidOperationException("Init.Orthogonal: the random matrix was rank-deficient; try another seed.");
            for (int i = 0; i < length; i++) q[v * length + i] = vector[i] / norm;
        }
        var result = new T[shape.Size];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[r * columns + c] = T.CreateChecked(gain * (transpose ? q[r * length + c] : q[c * length + r]));
        return Tensor.FromArray(result, rows, columns);
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
