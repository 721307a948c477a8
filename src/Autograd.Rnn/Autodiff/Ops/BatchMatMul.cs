using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The batched matrix product op(a)·op(b) of 3-D tensors, one GEMM per batch entry, where op transposes the last two
/// axes of a or of b without materialising the transpose. As for <see cref="MatMulOp"/>, the VJP of each form is written
/// with the other forms: for C = A·B, dA = G·Bᵀ and dB = Aᵀ·G; for C = A·Bᵀ, dA = G·B and dB = Gᵀ·A; for C = Aᵀ·B,
/// dA = B·Gᵀ and dB = A·G (each per batch entry). JVP: the product is bilinear, so op(Ṫa)·op(b) + op(a)·op(Ṫb).
/// Batching: both as [B, batch, …] (an unbatched one broadcast), then one batched product of B·batch matrices.
/// </summary>
internal static class BatchMatMulOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b, bool transposeA, bool transposeB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = transposeA ? "BatchMatMulTransposeA" : transposeB ? "BatchMatMulTransposeB" : "BatchMatMul";
        return Trace.Binary(name, a, b,
            (x, y) => Kernel(x, y, transposeA, transposeB, name),
            (x, y) => Apply(x, y, transposeA, transposeB),
            (a, b, _, g, i) => MatMulOp.Adjoint(a, b, g, i, transposeA, transposeB, Apply),
            (a, b, _, t, i) => i == 0 ? Apply(t, b, transposeA, transposeB) : Apply(a, t, transposeA, transposeB),
            (a, b) => Batch(a, b, transposeA, transposeB));
    }

    // Examples [n, m, k]: the batches [B, n, m, k] are B·n products, one BatchMatMul of [B·n, m, k] operands.
    private static Batched<T> Batch<T>(Batched<T> a, Batched<T> b, bool transposeA, bool transposeB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = Batching.Size<T>([a, b]);
        var left = Batching.Expand(a, size);
        var right = Batching.Expand(b, size);
        var product = Apply(Flatten(left), Flatten(right), transposeA, transposeB);
        return new(ReshapeOp.Apply(product, new Shape(size, left.Shape[1], product.Shape[1], product.Shape[2])), 0);
    }

    private static Tensor<T> Flatten<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ReshapeOp.Apply(x, new Shape(x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3]));

    private static NdArray<T> Kernel<T>(NdArray<T> a, NdArray<T> b, bool transposeA, bool transposeB, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Shape.Rank != 3 || b.Shape.Rank != 3)
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: both operands must be 3-D [batch, rows, columns].");
        int batch = a.Shape[0];
        if (b.Shape[0] != batch)
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: batch sizes {batch} and {b.Shape[0]} differ.");
        int m = transposeA ? a.Shape[2] : a.Shape[1];
        int k = transposeA ? a.Shape[1] : a.Shape[2];
        int kb = transposeB ? b.Shape[2] : b.Shape[1];
        int n = transposeB ? b.Shape[1] : b.Shape[2];
        if (k != kb)
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: inner dimensions {k} and {kb} differ.");
        if (Shape.TooLarge([batch, m, n], out string tooLarge))
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: the result {tooLarge}.");
        var result = NdArray<T>.Uninitialized(Shape.Owning(batch, m, n));
        Span<T> c = result.Unwritten;
        int aStride = m * k, bStride = k * n, cStride = m * n;
        for (int s = 0; s < batch; s++)
            Gemm.Multiply(a.Span.Slice(s * aStride, aStride), b.Span.Slice(s * bStride, bStride), c.Slice(s * cStride, cStride),
                m, n, k, transposeA, transposeB);
        return result;
    }
}

public static partial class Tensor
{
    /// <summary>The batched matrix product: a [batch, m, k] · b [batch, k, n] -> [batch, m, n], one product per batch entry.</summary>
    /// <exception cref="ArgumentException">An operand is not 3-D, the batch sizes or inner dimensions differ, or the result
    /// would have more than <see cref="Shape.MaxSize"/> elements.</exception>
    public static Tensor<T> BatchMatMul<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        BatchMatMulOp.Apply(a, b, false, false);

    /// <summary>a · bᵀ per batch entry: a [batch, m, k] and b [batch, n, k] -> [batch, m, n], without forming bᵀ
    /// (attention scores q·kᵀ).</summary>
    /// <exception cref="ArgumentException">An operand is not 3-D, or the batch sizes or inner dimensions differ.</exception>
    public static Tensor<T> BatchMatMulTransposeB<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        BatchMatMulOp.Apply(a, b, false, true);

    /// <summary>aᵀ · b per batch entry: a [batch, k, m] and b [batch, k, n] -> [batch, m, n], without forming aᵀ.</summary>
    /// <exception cref="ArgumentException">An operand is not 3-D, or the batch sizes or inner dimensions differ.</exception>
    public static Tensor<T> BatchMatMulTransposeA<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        BatchMatMulOp.Apply(a, b, true, false);
}
