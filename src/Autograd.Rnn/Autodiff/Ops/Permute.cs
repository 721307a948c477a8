using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>Reorders the axes: output axis a is input axis axes[a]. VJP: g permuted by the inverse permutation.
/// JVP (linear): the tangent permuted the same way. Batching: batch axis first, then the example's axes permuted behind it.</summary>
internal static class PermuteOp
{
    /// <summary><paramref name="axes"/> must already be a validated permutation (see <see cref="Normalize"/>).</summary>
    public static Tensor<T> Apply<T>(Tensor<T> x, int[] axes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsIdentity(axes)) return x;
        return Trace.Unary("Permute", x,
            v => Kernel(v, axes),
            v => Apply(v, axes),
            (_, _, g) => Apply(g, Inverse(axes)),
            (_, _, t) => Apply(t, axes),
            (x, batchAxis) => new(Apply(Batching.Front(x, batchAxis), Behind(axes)), 0));
    }

    // The permutation of a batch whose batch axis is first: the batch axis stays, the example's axes follow the permutation.
    private static int[] Behind(int[] axes)
    {
        var order = new int[axes.Length + 1];
        for (int i = 0; i < axes.Length; i++) order[i + 1] = axes[i] + 1;
        return order;
    }

    /// <summary>Normalizes negative axes and checks that <paramref name="axes"/> is a permutation of 0..rank−1.</summary>
    public static int[] Normalize(Shape shape, int[] axes, string operation)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != shape.Rank)
            throw new ArgumentException($"{operation}: {axes.Length} axes [{string.Join(",", axes)}] given for shape {shape} (rank {shape.Rank}).");
        var normalized = new int[axes.Length];
        var seen = new bool[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            int a = shape.NormalizeAxis(axes[i], operation);
            if (seen[a])
                throw new ArgumentException($"{operation}: axes [{string.Join(",", axes)}] for shape {shape} repeat axis {a}.");
            seen[a] = true;
            normalized[i] = a;
        }
        return normalized;
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, int[] axes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dimensions = new int[axes.Length];
        for (int a = 0; a < axes.Length; a++) dimensions[a] = x.Shape.Span[axes[a]];
        var result = GC.AllocateUninitializedArray<T>(x.Size);
        CopyKernels.Permute(x.Span, x.Shape.Span, axes, result);
        return new NdArray<T>(result, new Shape(dimensions));
    }

    private static int[] Inverse(int[] axes)
    {
        var inverse = new int[axes.Length];
        for (int a = 0; a < axes.Length; a++) inverse[axes[a]] = a;
        return inverse;
    }

    private static bool IsIdentity(int[] axes)
    {
        for (int a = 0; a < axes.Length; a++) if (axes[a] != a) return false;
        return true;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Reorders the axes: output axis a is input axis <paramref name="axes"/>[a] (negative axes count from the end),
    /// e.g. x [batch, time, features] with axes (1, 0, 2) -> [time, batch, features].
    /// </summary>
    /// <exception cref="ArgumentException">The axes are not a permutation of x's axes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public static Tensor<T> Permute<T>(Tensor<T> x, params int[] axes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return PermuteOp.Apply(x, PermuteOp.Normalize(x.Shape, axes, "Permute"));
    }

    /// <summary>
    /// Swaps two axes of a tensor of any rank (negative axes count from the end),
    /// e.g. x [batch, time, features] with (0, 1) -> [time, batch, features].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    public static Tensor<T> Transpose<T>(Tensor<T> x, int axis0, int axis1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a0 = x.Shape.NormalizeAxis(axis0, "Transpose");
        int a1 = x.Shape.NormalizeAxis(axis1, "Transpose");
        var axes = new int[x.Rank];
        for (int a = 0; a < axes.Length; a++) axes[a] = a;
        (axes[a0], axes[a1]) = (a1, a0);
        return PermuteOp.Apply(x, axes);
    }

    /// <summary>The matrix transpose: x [rows, columns] -> [columns, rows].</summary>
    /// <exception cref="ArgumentException">x is not 2-D.</exception>
    public static Tensor<T> Transpose<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ArgumentException($"Transpose: {x.Shape} is not 2-D; give the two axes to swap, e.g. Transpose(x, 0, 1).");
        return PermuteOp.Apply(x, [1, 0]);
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Reorders the axes: output axis a is input axis <paramref name="axes"/>[a] (see <see cref="Tensor.Permute{T}"/>).</summary>
    public Tensor<T> Permute(params int[] axes) => Tensor.Permute(this, axes);

    /// <summary>Swaps two axes (negative axes count from the end): e.g. [batch, time, features] with (0, 1) -> [time, batch, features].</summary>
    public Tensor<T> Transpose(int axis0, int axis1) => Tensor.Transpose(this, axis0, axis1);

    /// <summary>The matrix transpose: [rows, columns] -> [columns, rows].</summary>
    /// <exception cref="ArgumentException">The tensor is not 2-D.</exception>
    public Tensor<T> Transpose() => Tensor.Transpose(this);
}
