using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Parameter initialisers. Every one takes an explicit seed: the same seed gives the same tensor, bit for bit.
/// </summary>
public static class Init
{
    /// <summary>Uniform on [−<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public static Tensor<T> Uniform<T>(int[] shape, double bound, ulong seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.RandomUniform<T>(shape, seed, -bound, bound);

    /// <summary>
    /// PyTorch's default for recurrent layers and <c>nn.Linear</c>'s bias: U(−1/√<paramref name="fan"/>, 1/√<paramref name="fan"/>),
    /// where fan is the hidden size for recurrent layers and the input size for linear layers.
    /// </summary>
    public static Tensor<T> PyTorchDefault<T>(int[] shape, int fan, ulong seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform<T>(shape, fan > 0 ? 1.0 / Math.Sqrt(fan) : 0.0, seed);

    /// <summary>
    /// Xavier/Glorot uniform (Glorot and Bengio 2010): U(−a, a) with a = gain·√(6 / (fanIn + fanOut)),
    /// for a weight [fanOut, fanIn].
    /// </summary>
    public static Tensor<T> XavierUniform<T>(int fanOut, int fanIn, ulong seed, double gain = 1.0) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform<T>([fanOut, fanIn], gain * Math.Sqrt(6.0 / (fanIn + fanOut)), seed);

    /// <summary>
    /// A (semi-)orthogonal matrix [rows, columns] (Saxe et al. 2014): orthonormal rows when rows ≤ columns, orthonormal
    /// columns otherwise, scaled by <paramref name="gain"/>. Made by orthonormalising a seeded Gaussian matrix
    /// (modified Gram–Schmidt in double, with the sign convention that makes the result uniformly distributed).
    /// </summary>
    public static Tensor<T> Orthogonal<T>(int rows, int columns, ulong seed, double gain = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
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
        var result = new T[rows * columns];
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
