using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// One elementwise binary operation over contiguous runs, in the three forms the broadcasting driver needs:
/// run-run, run-scalar and scalar-run. Each form is a single <see cref="TensorPrimitives"/> call.
/// </summary>
internal interface IBinarySpanOperator<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);
    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

internal readonly struct AddOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubtractOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MultiplyOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
}

internal readonly struct DivideOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
}

internal readonly struct MaxOperator<T> : IBinarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

/// <summary>
/// The one broadcasting loop shared by every binary elementwise kernel: it finds the longest run of trailing
/// dimensions over which each operand is either contiguous or constant, and calls the operator once per run.
/// </summary>
internal static class BinaryKernels
{
    public static void Broadcast<T, TOperator>(
        ReadOnlySpan<T> x, Shape xShape, ReadOnlySpan<T> y, Shape yShape, Span<T> destination, Shape outShape)
        where T : unmanaged
        where TOperator : IBinarySpanOperator<T>
    {
        if (outShape.Size == 0) return;
        if (xShape == outShape && yShape == outShape) { TOperator.Invoke(x, y, destination); return; }
        if (yShape.Size == 1 && xShape == outShape) { TOperator.Invoke(x, y[0], destination); return; }
        if (xShape.Size == 1 && yShape == outShape) { TOperator.Invoke(x[0], y, destination); return; }

        int rank = outShape.Rank;
        var outDims = outShape.Span;
        // Five small per-axis arrays; on the stack, as this loop runs for every broadcasting op of a training step.
        Span<int> workspace = rank <= 8 ? stackalloc int[5 * 8] : new int[5 * rank];
        var xd = workspace[..rank];
        var yd = workspace.Slice(rank, rank);
        Broadcasting.Aligned(xShape, xd);
        Broadcasting.Aligned(yShape, yd);

        // Grow the inner run leftwards while each operand keeps one mode: contiguous (its dims equal the
        // output's) or constant (its dims are all 1). Output dims of size 1 fit either mode.
        int start = rank;
        bool? xFull = null, yFull = null;
        while (start > 0)
        {
            int a = start - 1;
            if (outDims[a] == 1) { start--; continue; }
            bool xf = xd[a] == outDims[a], yf = yd[a] == outDims[a];
            if ((xFull is bool px && px != xf) || (yFull is bool py && py != yf)) break;
            xFull = xf; yFull = yf;
            start--;
        }
        int inner = outShape.Product(start, rank);
        bool xRun = xFull ?? true, yRun = yFull ?? true;

        var xStrides = workspace.Slice(2 * rank, rank);
        var yStrides = workspace.Slice(3 * rank, rank);
        Strides(xd, outDims, xStrides);
        Strides(yd, outDims, yStrides);
        var index = workspace.Slice(4 * rank, start);
        index.Clear();
        int outer = outShape.Product(0, start);
        int xOffset = 0, yOffset = 0;
        for (int o = 0; o < outer; o++)
        {
            var dest = destination.Slice(o * inner, inner);
            if (xRun && yRun) TOperator.Invoke(x.Slice(xOffset, inner), y.Slice(yOffset, inner), dest);
            else if (xRun) TOperator.Invoke(x.Slice(xOffset, inner), y[yOffset], dest);
            else if (yRun) TOperator.Invoke(x[xOffset], y.Slice(yOffset, inner), dest);
            else dest.Fill(Scalar<T, TOperator>(x[xOffset], y[yOffset]));

            // Odometer step over the outer dimensions, keeping both operands' offsets in step.
            for (int a = start - 1; a >= 0; a--)
            {
                index[a]++;
                xOffset += xStrides[a];
                yOffset += yStrides[a];
                if (index[a] < outDims[a]) break;
                xOffset -= xStrides[a] * index[a];
                yOffset -= yStrides[a] * index[a];
                index[a] = 0;
            }
        }
    }

    private static T Scalar<T, TOperator>(T x, T y) where T : unmanaged where TOperator : IBinarySpanOperator<T>
    {
        Span<T> result = stackalloc T[1];
        TOperator.Invoke([x], y, result);
        return result[0];
    }

    // Row-major strides of an aligned operand, with 0 where it is broadcast.
    private static void Strides(ReadOnlySpan<int> dims, ReadOnlySpan<int> outDims, Span<int> s)
    {
        int stride = 1;
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            s[a] = dims[a] == 1 && outDims[a] != 1 ? 0 : stride;
            stride *= dims[a];
        }
    }
}
