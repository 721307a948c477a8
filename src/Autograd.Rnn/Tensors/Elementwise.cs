using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>Applies the span kernels to whole values, allocating each result.</summary>
internal static class Elementwise
{
    public static NdArray<T> Unary<T, TOperator>(NdArray<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IUnarySpanOperator<T>
    {
        var result = NdArray<T>.Uninitialized(x.Shape);
        TOperator.Invoke(x.Span, result.Unwritten);
        return result;
    }

    /// <summary>Broadcasts the operands (NumPy rules); throws naming <paramref name="operation"/> and both shapes when they do not fit.</summary>
    public static NdArray<T> Binary<T, TOperator>(NdArray<T> a, NdArray<T> b, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinarySpanOperator<T>
    {
        var shape = Broadcasting.Result(a.Shape, b.Shape, operation);
        var result = NdArray<T>.Uninitialized(shape);
        BinaryKernels.Broadcast<T, TOperator>(a.Span, a.Shape, b.Span, b.Shape, result.Unwritten, shape);
        return result;
    }

    /// <summary>Repeats <paramref name="x"/> along broadcast axes to fill <paramref name="shape"/>.</summary>
    public static NdArray<T> BroadcastTo<T>(NdArray<T> x, Shape shape, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Broadcasting.CanBroadcastTo(x.Shape, shape))
            throw new ArgumentException($"{operation}: {x.Shape} cannot be broadcast to {shape}.");
        if (x.Shape == shape) return x;
        var result = NdArray<T>.Uninitialized(shape);
        BroadcastInto(x, result.Unwritten, shape);
        return result;
    }

    /// <summary>
    /// Writes <paramref name="x"/> repeated to fill <paramref name="shape"/> (which it broadcasts to) into
    /// <paramref name="destination"/>.
    /// </summary>
    public static void BroadcastInto<T>(NdArray<T> x, Span<T> destination, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        BinaryKernels.Broadcast<T, SecondOperator<T>>([T.Zero], Shape.Scalar, x.Span, x.Shape, destination, shape);

    /// <summary>Sums <paramref name="x"/> down to <paramref name="shape"/>, a shape it could have been broadcast from.</summary>
    public static NdArray<T> SumTo<T>(NdArray<T> x, Shape shape, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Broadcasting.CanBroadcastTo(shape, x.Shape))
            throw new ArgumentException($"{operation}: {x.Shape} cannot be summed to {shape} ({shape} does not broadcast to {x.Shape}).");
        if (x.Shape == shape) return x;
        var result = NdArray<T>.Uninitialized(shape);
        ReductionKernels.SumTo(x.Span, x.Shape, result.Unwritten, shape); // clears the destination first
        return result;
    }

    // Takes the second operand as it is: with a scalar first operand, the broadcasting driver becomes a tiling copy.
    private readonly struct SecondOperator<TValue> : IBinarySpanOperator<TValue>
    {
        public static void Invoke(ReadOnlySpan<TValue> x, ReadOnlySpan<TValue> y, Span<TValue> d) => y.CopyTo(d);
        public static void Invoke(ReadOnlySpan<TValue> x, TValue y, Span<TValue> d) => d.Fill(y);
        public static void Invoke(TValue x, ReadOnlySpan<TValue> y, Span<TValue> d) => y.CopyTo(d);
    }
}
