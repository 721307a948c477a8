using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

// Softmax and LogSoftmax are compositions of Subtract, Exp, SumTo, Divide and Log: they need no gradient or JVP rule of their own.
// Both subtract the maximum along the axis first so exp cannot overflow. The maximum enters as a constant: softmax is
// invariant to shifting a row, so the derivative through the shift is exactly zero and leaving it out is exact for
// gradients at every nesting level.
public static partial class Tensor
{
    /// <summary>
    /// exp(x) / Σ exp(x) along <paramref name="axis"/> (default the last; negative counts from the end), computed stably:
    /// x [batch, classes] -> [batch, classes], each row positive and summing to 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> Softmax<T>(Tensor<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "Softmax");
        var e = Exp(x - ShiftAlong(x, a));
        return e / SumToOp.Apply(e, x.Shape.WithDimension(a, 1));
    }

    /// <summary>
    /// log(softmax(x)) = x − log Σ exp(x) along <paramref name="axis"/> (default the last), computed stably without
    /// forming softmax: x [batch, classes] -> [batch, classes] (use with a negative log-likelihood loss).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public static Tensor<T> LogSoftmax<T>(Tensor<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = x.Shape.NormalizeAxis(axis, "LogSoftmax");
        var shifted = x - ShiftAlong(x, a);
        return shifted - Log(SumToOp.Apply(Exp(shifted), x.Shape.WithDimension(a, 1)));
    }

    // The maximum along the axis of x's numbers, kept as a size-1 axis, as an untraced constant.
    private static Tensor<T> ShiftAlong<T>(Tensor<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Under Vmap: the maxima of every example, along the example's axis as it sits in the batch.
        if (Batching.ForValues([x], out var batched) is { } level)
            return Tensor<T>.Batch(ShiftAlong(batched[0].Value, batched[0].Shift(axis)), batched[0].Axis, level, "SoftmaxShift");
        var shape = x.Shape.WithDimension(axis, 1);
        var maxima = new T[shape.Size];
        int length = x.Shape.Span[axis];
        if (length > 0)
            SoftmaxKernels.MaxAlongAxis(x.Value.Span, x.Shape.Product(0, axis), length, x.Shape.Product(axis + 1, x.Rank), maxima);
        return new Tensor<T>(new NdArray<T>(maxima, shape));
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>exp(x) / Σ exp(x) along <paramref name="axis"/> (default the last), computed stably; rows sum to 1.</summary>
    public Tensor<T> Softmax(int axis = -1) => Tensor.Softmax(this, axis);

    /// <summary>log(softmax(x)) along <paramref name="axis"/> (default the last), computed stably.</summary>
    public Tensor<T> LogSoftmax(int axis = -1) => Tensor.LogSoftmax(this, axis);
}
