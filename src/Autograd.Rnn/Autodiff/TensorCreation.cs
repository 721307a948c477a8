using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Creates tensors and exposes every op as a static function (<c>Tensor.Tanh(x)</c>, <c>Tensor.MatMul(a, b)</c>).
/// </summary>
public static partial class Tensor
{
    /// <summary>
    /// A tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/> in row-major order;
    /// with no shape, a 1-D tensor of all the values. (A rank-0 tensor comes from <see cref="Scalar{T}(T)"/>.)
    /// </summary>
    /// <exception cref="ArgumentException">The number of values differs from the shape's size.</exception>
    public static Tensor<T> FromArray<T>(T[] values, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = shape.Length == 0 ? new Shape(values.Length) : new Shape(shape);
        return new Tensor<T>(new NdArray<T>((T[])values.Clone(), s));
    }

    /// <summary>A 2-D tensor [rows, columns] copied from a rectangular array (F#: <c>array2D</c>).</summary>
    public static Tensor<T> FromArray<T>(T[,] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var shape = new Shape(rows, columns);
        var data = new T[shape.Size];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                data[r * columns + c] = values[r, c];
        return new Tensor<T>(new NdArray<T>(data, shape));
    }

    /// <summary>A 2-D tensor [rows, columns] from rows of equal length.</summary>
    /// <exception cref="ArgumentException">The rows differ in length.</exception>
    public static Tensor<T> FromRows<T>(T[][] rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        int columns = rows.Length == 0 ? 0 : rows[0].Length;
        var shape = Shape.Result("Tensor.FromRows: rows", rows.Length, columns);
        var data = new T[shape.Size];
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns)
                throw new ArgumentException($"Tensor.FromRows: row {r} has {rows[r].Length} values, row 0 has {columns}.", nameof(rows));
            rows[r].CopyTo(data, r * columns);
        }
        return new Tensor<T>(new NdArray<T>(data, shape));
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> => new(NdArray<T>.Scalar(value));

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Full<T>(T value, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(NdArray<T>.Full(new Shape(shape), value));

    /// <summary>A tensor of <paramref name="shape"/> filled with zeros.</summary>
    public static Tensor<T> Zeros<T>(params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(NdArray<T>.Zeros(new Shape(shape)));

    /// <summary>A tensor of <paramref name="shape"/> filled with ones.</summary>
    public static Tensor<T> Ones<T>(params int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(NdArray<T>.Full(new Shape(shape), T.One));

    /// <summary>Zeros with the shape of <paramref name="like"/> (a constant, whatever <paramref name="like"/> is).</summary>
    public static Tensor<T> ZerosLike<T>(Tensor<T> like) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(NdArray<T>.Zeros(like.Shape));

    /// <summary>Ones with the shape of <paramref name="like"/> (a constant, whatever <paramref name="like"/> is).</summary>
    public static Tensor<T> OnesLike<T>(Tensor<T> like) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(NdArray<T>.Full(like.Shape, T.One));

    /// <summary>The identity matrix [n, n].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    /// <exception cref="ArgumentException">n² is more than <see cref="Shape.MaxSize"/>.</exception>
    public static Tensor<T> Eye<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"Eye: n is {n}; expected n ≥ 0.");
        // The shape first: n·n in int overflows for n > 46340, and its check names the size.
        var shape = Shape.Result("Eye: the identity matrix", n, n);
        var data = new T[shape.Size];
        for (int i = 0; i < n; i++) data[(long)i * n + i] = T.One;
        return new Tensor<T>(new NdArray<T>(data, shape));
    }

    /// <summary>
    /// Independent samples of a normal distribution N(<paramref name="mean"/>, <paramref name="standardDeviation"/>²).
    /// The same seed gives the same tensor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The mean is not finite, or the standard deviation is negative or not finite.</exception>
    public static Tensor<T> RandomNormal<T>(int[] shape, ulong seed, double mean = 0.0, double standardDeviation = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.Finite(mean, nameof(mean), "Tensor.RandomNormal");
        Require.NonNegative(standardDeviation, nameof(standardDeviation), "Tensor.RandomNormal");
        var s = new Shape(shape);
        var random = new SplitMix64(seed);
        var data = new T[s.Size];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked(mean + standardDeviation * random.NextNormal());
        return new Tensor<T>(new NdArray<T>(data, s));
    }

    /// <summary>
    /// Independent samples of the uniform distribution on [<paramref name="low"/>, <paramref name="high"/>).
    /// The same seed gives the same tensor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite.</exception>
    /// <exception cref="ArgumentException">low is above high, or high − low is not finite.</exception>
    public static Tensor<T> RandomUniform<T>(int[] shape, ulong seed, double low = 0.0, double high = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Require.Finite(low, nameof(low), "Tensor.RandomUniform");
        Require.Finite(high, nameof(high), "Tensor.RandomUniform");
        if (!(low <= high)) throw new ArgumentException($"Tensor.RandomUniform: low {low} is above high {high}; expected low ≤ high.", nameof(low));
        if (!double.IsFinite(high - low))
            throw new ArgumentException($"Tensor.RandomUniform: the width high − low of [{low}, {high}) overflows a double.", nameof(high));
        var s = new Shape(shape);
        var random = new SplitMix64(seed);
        var data = new T[s.Size];
        T lowT = T.CreateChecked(low), highT = T.CreateChecked(high);
        // low + (high − low)·u with u < 1 can still round up to high (in float often: near 1e8 floats are 8 apart);
        // such a draw becomes the largest value below high, keeping the interval half-open.
        T belowHigh = lowT < highT ? T.Max(lowT, T.BitDecrement(highT)) : lowT;
        for (int i = 0; i < data.Length; i++)
        {
            T value = T.CreateChecked(low + (high - low) * random.NextDouble());
            data[i] = value < highT ? value : belowHigh;
        }
        return new Tensor<T>(new NdArray<T>(data, s));
    }
}
