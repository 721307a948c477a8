using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The affine map x·Wᵀ + b (PyTorch's <c>F.linear</c>) of x [rows, in], W [out, in] and b [out], as one op so that the
/// forward pass writes b into every output row and lets the GEMM add the product into it: one result array and one pass,
/// where MatMulTransposeB followed by Add wrote the product, then read it back into a second array with the bias.
/// VJP: the forms of the A·Bᵀ product (dx = G·W, dW = Gᵀ·x, declared as a row contraction so that the backward sweep sums
/// a weight's gradients from every block of steps as one product of stacked factors, exactly as for
/// <see cref="MatMulOp"/>) and the adjoint of the bias's broadcast over rows (db = Σ_rows G, <see cref="SumToOp"/>).
/// JVP: bilinear in (x, W) and linear in b, so ẋ·Wᵀ + x·Ẇᵀ + ḃ, with ḃ folded into one of the products.
/// Batching: batched x with one W and b is one Linear over the examples' stacked rows; otherwise a batched A·Bᵀ product
/// plus the bias broadcast over each example's rows.
/// </summary>
internal static class LinearOp
{
    /// <summary>x [rows, in], weight [out, in], bias [out] (checked by <see cref="Tensor.Linear{T}"/>) -> [rows, out].</summary>
    public static Tensor<T> Apply<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Without a bias the op is the A·Bᵀ product itself, recorded as that op.
        if (bias is null) return MatMulOp.Apply(x, weight, false, true);
        return Trace.Nary("Linear", [x, weight, bias],
            Kernel,
            static p => Apply(p[0], p[1], p[2]),
            static (p, _, g, i) => i == 2 ? SumToOp.Apply(g, p[2].Shape) : MatMulOp.Adjoint(p[0], p[1], g, i, false, true, MatMulOp.Apply),
            static (p, _, t) => Tangent(p, t),
            static b => Batch(b),
            IntoBuffer<T>.Instance,
            static (p, g, i) => i == 1 ? (g, p[0]) : null);
    }

    // ẋ·Wᵀ + x·Ẇᵀ + ḃ (null tangents are inputs that do not move). ḃ alone stays [out]; the trace broadcasts it to [rows, out].
    private static Tensor<T> Tangent<T>(Tensor<T>[] p, Tensor<T>?[] t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, weight) = (p[0], p[1]);
        var (dx, dweight, dbias) = (t[0], t[1], t[2]);
        if (dx is null && dweight is null) return dbias!;
        var first = dx is null ? Apply(x, dweight!, dbias) : Apply(dx, weight, dbias);
        return dx is not null && dweight is not null ? AddOp.Apply(first, MatMulOp.Apply(x, dweight, false, true)) : first;
    }

    // Examples x [r, in], W [out, in], b [out]. One W and b for all: the batch [B, r, in] is the rows [B·r, in] of one
    // Linear. Otherwise the products are one batched A·Bᵀ ([B, r, out], or [r, out] when x and W are shared) and the bias
    // is added as [out] or, batched, as [B, 1, out] (broadcast over each example's rows).
    private static Batched<T> Batch<T>(Batched<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, weight, bias) = (inputs[0], inputs[1], inputs[2]);
        int outputs = weight.ExampleShape[0];
        if (!weight.IsBatched && !bias.IsBatched)
        {
            var rows = Batching.Front(x.Value, x.Axis);
            int size = rows.Shape[0], count = rows.Shape[1];
            var y = Apply(ReshapeOp.Apply(rows, new Shape(size * count, rows.Shape[2])), weight.Value, bias.Value);
            return new(ReshapeOp.Apply(y, new Shape(size, count, outputs)), 0);
        }
        int examples = Batching.Size<T>(inputs);
        var product = x.IsBatched || weight.IsBatched
            ? BatchMatMulOp.Apply(Batching.Expand(x, examples), Batching.Expand(weight, examples), false, true)
            : MatMulOp.Apply(x.Value, weight.Value, false, true);
        var shift = bias.IsBatched ? ReshapeOp.Apply(Batching.Front(bias.Value, bias.Axis), new Shape(examples, 1, outputs)) : bias.Value;
        return new(AddOp.Apply(product, shift), 0);
    }

    /// <summary>The plan form: the same bias rows and accumulating GEMM, written into the plan's buffer.</summary>
    private sealed class IntoBuffer<T> : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly IntoBuffer<T> Instance = new();

        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => Into(inputs[0], inputs[1], inputs[2], destination);

        public override int PackableInput => 1;

        public override GemmPackedB<T>? PackRight(NdArray<T>[] inputs, GemmPackedB<T>? reuse)
        {
            var (x, weight) = (inputs[0], inputs[1]);
            return GemmPackedB<T>.PackIfItPays(x.Shape[0], weight.Span, weight.Shape[0], weight.Shape[1], transposeB: true, reuse);
        }

        public override void Invoke(NdArray<T>[] inputs, Span<T> destination, GemmPackedB<T> packedRight) =>
            Into(inputs[0], inputs[1], inputs[2], destination, packedRight);
    }

    private static NdArray<T> Kernel<T>(NdArray<T>[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = values[0].Shape[0], outputs = values[1].Shape[0];
        var y = NdArray<T>.Uninitialized(Shape.Owning(rows, outputs));
        Into(values[0], values[1], values[2], y.Unwritten);
        return y;
    }

    // Every row starts as the bias and the GEMM adds x·Wᵀ into it: at every row count the bias is the sum's first term.
    private static void Into<T>(NdArray<T> x, NdArray<T> weight, NdArray<T> bias, Span<T> destination, GemmPackedB<T>? packedWeight = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = x.Shape[0], inputs = x.Shape[1], outputs = weight.Shape[0];
        var b = bias.Span;
        for (int r = 0; r < rows; r++) b.CopyTo(destination.Slice(r * outputs, outputs));
        Gemm.Multiply(x.Span, weight.Span, destination, rows, outputs, inputs, transposeA: false, transposeB: true, accumulate: true,
            packedB: packedWeight);
    }

    /// <summary>Throws naming the op and all three shapes unless x [..., in], weight [out, in] and bias [out] (or null) fit.</summary>
    public static void CheckShapes(Shape x, Shape weight, Shape? bias)
    {
        string Shapes() => $"Linear: x {x}, weight {weight}" + (bias is { } b ? $", bias {b}" : "");
        if (weight.Rank != 2)
            throw new ArgumentException($"{Shapes()}: the weight must be 2-D [out, in].");
        if (x.Rank == 0)
            throw new ArgumentException($"{Shapes()}: x must have at least one dimension [..., in].");
        if (x[-1] != weight[1])
            throw new ArgumentException($"{Shapes()}: x's last dimension {x[-1]} differs from the weight's input size {weight[1]}.");
        if (bias is { } shape && (shape.Rank != 1 || shape[0] != weight[0]))
            throw new ArgumentException($"{Shapes()}: the bias must be [{weight[0]}], one value per output.");
        var result = x.ToArray();
        result[^1] = weight[0];
        if (Shape.TooLarge(result, out string tooLarge))
            throw new ArgumentException($"{Shapes()}: the result {tooLarge}.");
    }
}

public static partial class Tensor
{
    /// <summary>
    /// The affine map x·weightᵀ + bias (PyTorch's <c>F.linear</c>): x [..., in], weight [out, in], bias [out] -> [..., out].
    /// Leading dimensions of x are flattened into the rows of one matrix product. The bias is written into the result
    /// first and the product added into it, so one array is allocated, not two as with <c>MatMulTransposeB(x, weight) + bias</c>,
    /// whose values it equals up to the order of summation (the bias may be the sum's first term rather than its last).
    /// Without a bias (null, the default) it is <see cref="MatMulTransposeB{T}"/>, recorded as that op.
    /// </summary>
    /// <exception cref="ArgumentException">The weight is not 2-D, x is a scalar, x's last dimension differs from the
    /// weight's input size, the bias is not [out], or the result would have more than <see cref="Shape.MaxSize"/> elements;
    /// the message names all three shapes.</exception>
    public static Tensor<T> Linear<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        LinearOp.CheckShapes(x.Shape, weight.Shape, bias?.Shape);
        if (x.Rank == 2) return LinearOp.Apply(x, weight, bias);
        var rows = ReshapeOp.Apply(x, new Shape(x.Shape.Product(0, x.Rank - 1), x.Shape[-1]));
        var result = x.Shape.ToArray();
        result[^1] = weight.Shape[0];
        return ReshapeOp.Apply(LinearOp.Apply(rows, weight, bias), new Shape(result));
    }
}
