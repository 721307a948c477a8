using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The matrix product op(a)·op(b) of 2-D tensors, where op transposes a (Aᵀ·B) or b (A·Bᵀ) without materialising
/// the transpose. The VJP of each of the three forms is written with the other forms, so it stays within them:
/// for C = A·B, dA = G·Bᵀ and dB = Aᵀ·G; for C = A·Bᵀ, dA = G·B and dB = Gᵀ·A; for C = Aᵀ·B, dA = B·Gᵀ and dB = A·G.
/// The two right-hand gradients of the first forms (Aᵀ·G and Gᵀ·A) contract over rows, so the backward sweep may sum a
/// weight's gradients from every time step as one product of stacked factors (see <see cref="RowContractionRule{T}"/>).
/// JVP: the product is bilinear, so each input's term is the same form with that input replaced by its tangent.
/// Batching: batched left operands times one right operand are one GEMM over their stacked rows; otherwise a
/// <see cref="BatchMatMulOp"/> with the unbatched operand broadcast.
/// </summary>
internal static class MatMulOp
{
    public static Tensor<T> Apply<T>(Tensor<T> a, Tensor<T> b, bool transposeA, bool transposeB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = OperationName(transposeA, transposeB);
        return Trace.Binary(name, a, b,
            (x, y) => Kernel(x, y, transposeA, transposeB, name),
            (x, y) => Apply(x, y, transposeA, transposeB),
            (a, b, _, g, i) => Adjoint(a, b, g, i, transposeA, transposeB, Apply),
            (a, b, _, t, i) => i == 0 ? Apply(t, b, transposeA, transposeB) : Apply(a, t, transposeA, transposeB),
            (a, b) => Batch(a, b, transposeA, transposeB),
            (a, b, g, i) => (transposeA, transposeB, i) switch
            {
                (false, false, 1) => (a, g),
                (false, true, 1) => (g, a),
                _ => null,
            },
            form: IntoBuffer<T>.Of(transposeA, transposeB));
    }

    // A batch of left operands [B, m, k] times one right operand is one GEMM of the stacked rows [B·m, k] (each output
    // row is the same dot products as in the example's own product); any other mix is a batched product, with an
    // unbatched operand broadcast to every example.
    private static Batched<T> Batch<T>(Batched<T> a, Batched<T> b, bool transposeA, bool transposeB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.IsBatched && !b.IsBatched && !transposeA)
        {
            var rows = Batching.Front(a.Value, a.Axis);
            int size = rows.Shape[0], m = rows.Shape[1];
            var product = Apply(ReshapeOp.Apply(rows, new Shape(size * m, rows.Shape[2])), b.Value, false, transposeB);
            return new(ReshapeOp.Apply(product, new Shape(size, m, product.Shape[1])), 0);
        }
        int examples = Batching.Size<T>([a, b]);
        return new(BatchMatMulOp.Apply(Batching.Expand(a, examples), Batching.Expand(b, examples), transposeA, transposeB), 0);
    }

    /// <summary>
    /// The cotangent of input <paramref name="input"/> of a product in one of the three forms (A·B, A·Bᵀ, Aᵀ·B), written
    /// with <paramref name="product"/> in the same three forms, so no transpose is ever materialised. The rule is the
    /// same for one matrix product and for a batch of them (<see cref="BatchMatMulOp"/>), which pass their own product.
    /// </summary>
    internal static Tensor<T> Adjoint<T>(Tensor<T> a, Tensor<T> b, Tensor<T> g, int input, bool transposeA, bool transposeB,
        Func<Tensor<T>, Tensor<T>, bool, bool, Tensor<T>> product) where T : unmanaged, IFloatingPointIeee754<T> =>
        (transposeA, transposeB, input) switch
        {
            (false, false, 0) => product(g, b, false, true),
            (false, false, _) => product(a, g, true, false),
            (false, true, 0) => product(g, b, false, false),
            (false, true, _) => product(g, a, true, false),
            (true, false, 0) => product(b, g, false, true),
            _ => product(a, g, false, false),
        };

    /// <summary>The plan form: the same GEMM, written into the plan's buffer.</summary>
    private sealed class IntoBuffer<T>(bool transposeA, bool transposeB) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static readonly IntoBuffer<T> Plain = new(false, false), TransposedA = new(true, false), TransposedB = new(false, true);

        public static IntoBuffer<T> Of(bool transposeA, bool transposeB) => transposeA ? TransposedA : transposeB ? TransposedB : Plain;

        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => Multiply(inputs, destination, null);

        public override int PackableInput => 1;

        public override GemmPackedB<T>? PackRight(NdArray<T>[] inputs, GemmPackedB<T>? reuse)
        {
            var (m, n, k) = Dimensions(inputs);
            return GemmPackedB<T>.PackIfItPays(m, inputs[1].Span, n, k, transposeB, reuse);
        }

        public override void Invoke(NdArray<T>[] inputs, Span<T> destination, GemmPackedB<T> packedRight) =>
            Multiply(inputs, destination, packedRight);

        private void Multiply(NdArray<T>[] inputs, Span<T> destination, GemmPackedB<T>? packedRight)
        {
            var (m, n, k) = Dimensions(inputs);
            Gemm.Multiply(inputs[0].Span, inputs[1].Span, destination, m, n, k, transposeA, transposeB, packedB: packedRight);
        }

        private (int M, int N, int K) Dimensions(NdArray<T>[] inputs)
        {
            var (a, b) = (inputs[0], inputs[1]);
            return (transposeA ? a.Shape[1] : a.Shape[0], transposeB ? b.Shape[0] : b.Shape[1], transposeA ? a.Shape[0] : a.Shape[1]);
        }
    }

    private static string OperationName(bool transposeA, bool transposeB) =>
        transposeA ? "MatMulTransposeA" : transposeB ? "MatMulTransposeB" : "MatMul";

    private static NdArray<T> Kernel<T>(NdArray<T> a, NdArray<T> b, bool transposeA, bool transposeB, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Shape.Rank != 2 || b.Shape.Rank != 2)
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: both operands must be 2-D.");
        int m = transposeA ? a.Shape[1] : a.Shape[0];
        int k = transposeA ? a.Shape[0] : a.Shape[1];
        int kb = transposeB ? b.Shape[1] : b.Shape[0];
        int n = transposeB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: inner dimensions {k} and {kb} differ.");
        // Checked before the buffer is sized: m·n in int wraps for results past 2³¹ elements.
        if (Shape.TooLarge([m, n], out string tooLarge))
            throw new ArgumentException($"{name}: {a.Shape} x {b.Shape}: the result {tooLarge}.");
        var c = NdArray<T>.Uninitialized(Shape.Owning(m, n));
        Gemm.Multiply(a.Span, b.Span, c.Unwritten, m, n, k, transposeA, transposeB);
        return c;
    }
}

public static partial class Tensor
{
    /// <summary>
    /// The matrix product: a [m, k] · b [k, n] -> [m, n]; or, batched, a [batch, m, k] · b [k, n] -> [batch, m, n].
    /// </summary>
    /// <exception cref="ArgumentException">The ranks are not 2·2 or 3·2, the inner dimensions differ, or the result would have
    /// more than <see cref="Shape.MaxSize"/> elements.</exception>
    public static Tensor<T> MatMul<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rank == 3 && b.Rank == 2)
        {
            // A batch of matrices times one matrix is one GEMM over the stacked rows.
            if (a.Shape[2] != b.Shape[0])
                throw new ArgumentException($"MatMul: {a.Shape} x {b.Shape}: inner dimensions {a.Shape[2]} and {b.Shape[0]} differ.");
            // Checked here, not only in the 2-D product, so a too-large result is reported with the 3-D operand's shape.
            if (Shape.TooLarge([a.Shape[0], a.Shape[1], b.Shape[1]], out string tooLarge))
                throw new ArgumentException($"MatMul: {a.Shape} x {b.Shape}: the result {tooLarge}.");
            var rows = ReshapeOp.Apply(a, new Shape(a.Shape[0] * a.Shape[1], a.Shape[2]));
            return ReshapeOp.Apply(MatMulOp.Apply(rows, b, false, false), new Shape(a.Shape[0], a.Shape[1], b.Shape[1]));
        }
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul: {a.Shape} x {b.Shape}: ranks {a.Rank} and {b.Rank}; supported are 2-D x 2-D and 3-D x 2-D.");
        return MatMulOp.Apply(a, b, false, false);
    }

    /// <summary>a · bᵀ for a [m, k] and b [n, k] -> [m, n], without forming bᵀ.</summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, or the inner dimensions differ.</exception>
    public static Tensor<T> MatMulTransposeB<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        MatMulOp.Apply(a, b, false, true);

    /// <summary>aᵀ · b for a [k, m] and b [k, n] -> [m, n], without forming aᵀ.</summary>
    /// <exception cref="ArgumentException">An operand is not 2-D, or the inner dimensions differ.</exception>
    public static Tensor<T> MatMulTransposeA<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        MatMulOp.Apply(a, b, true, false);
}

public sealed partial class Tensor<T>
{
    /// <summary>The matrix product this · other: [m, k]·[k, n] -> [m, n], or [batch, m, k]·[k, n] -> [batch, m, n].</summary>
    /// <exception cref="ArgumentException">The ranks are not 2·2 or 3·2, or the inner dimensions differ.</exception>
    public Tensor<T> MatMul(Tensor<T> other) => Tensor.MatMul(this, other);
}
