using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

// ArgMax and ArgMin return plain indices: they are not differentiable, build no graph and carry no tangent (an index is
// piecewise constant in x, so forward mode has nothing to push through it).
public static partial class Tensor
{
    /// <summary>
    /// The index of the maximum along <paramref name="axis"/> (negative counts from the end), for every position of the
    /// other axes: x [d0, …, dₐ, …] -> int[] of d0·…·dₐ₋₁·dₐ₊₁·… indices in [0, dₐ), in row-major order of x's shape
    /// without the axis (e.g. logits [batch, classes] with axis −1 -> one class per row). Ties go to the first index,
    /// the first NaN counts as the maximum, +0 is above −0 (as in <see cref="Max{T}(Tensor{T}, int, bool)"/>).
    /// Not differentiable: the result is indices, and tracing is ignored.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public static int[] ArgMax<T>(Tensor<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T> =>
        IndexOfExtremum(x, axis, maximum: true, "ArgMax");

    /// <summary>
    /// The index of the minimum along <paramref name="axis"/>, as <see cref="ArgMax{T}(Tensor{T}, int)"/>: ties go to the
    /// first index, the first NaN counts as the minimum, −0 is below +0. Not differentiable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public static int[] ArgMin<T>(Tensor<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T> =>
        IndexOfExtremum(x, axis, maximum: false, "ArgMin");

    private static int[] IndexOfExtremum<T>(Tensor<T> x, int axis, bool maximum, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Batching.RequireUnbatched(x, operation);
        int a = x.Shape.NormalizeAxis(axis, operation);
        var shape = x.Shape;
        if (shape.Span[a] == 0)
            throw new ArgumentException($"{operation}: axis {a} of shape {shape} is empty; the position of an extremum of no elements is undefined.");
        int outer = shape.Product(0, a), inner = shape.Product(a + 1, shape.Rank);
        var indices = new int[outer * inner];
        IndexKernels.IndexOfExtremumAlong(x.Value.Span, outer, shape.Span[a], inner, indices, maximum);
        return indices;
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>The index of the maximum along <paramref name="axis"/> (see <see cref="Tensor.ArgMax{T}(Tensor{T}, int)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public int[] ArgMax(int axis = -1) => Tensor.ArgMax(this, axis);

    /// <summary>The index of the minimum along <paramref name="axis"/> (see <see cref="Tensor.ArgMin{T}(Tensor{T}, int)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has size 0.</exception>
    public int[] ArgMin(int axis = -1) => Tensor.ArgMin(this, axis);
}
