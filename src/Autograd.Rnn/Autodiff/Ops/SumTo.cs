using System.Numerics;

namespace Autograd.Rnn;

/// <summary>Sums x down to a shape it could have been broadcast from. VJP: g broadcast back to x's shape. JVP (linear): the tangent summed the same way. Batching: batch axis first, summed to [B, 1…, shape…] (the example's rank), then reshaped to [B, shape…].</summary>
internal static class SumToOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape == shape) return x;
        return Trace.Unary("SumTo", x,
            v => Elementwise.SumTo(v, shape, "SumTo"),
            v => Apply(v, shape),
            static (x, _, g) => BroadcastToOp.Apply(g, x.Shape),
            (_, _, t) => Apply(t, shape),
            (x, axis) => Batch(x, axis, shape),
            // Only a planning level reads the form, so eager sums do not allocate one.
            form: x.Live.Node is { Level.IsPlanning: true } ? new IntoBuffer<T>(shape) : null);
    }

    /// <summary>The plan form: the eager reduction kernel, into the plan's buffer (so the same sums in the same order).</summary>
    private sealed class IntoBuffer<T>(Shape shape) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) =>
            Kernels.ReductionKernels.SumTo(inputs[0].Span, inputs[0].Shape, destination, shape);
    }

    // The example's shape s sums to the target (rank ≤ s's, aligned from the right); the batch [B, s…] sums to
    // [B, 1…, target…] of the batch's rank, which is then [B, target…].
    private static Batched<T> Batch<T>(Tensor<T> x, int axis, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var front = Batching.Front(x, axis);
        int size = front.Shape.Span[0];
        var kept = new int[front.Rank];
        kept.AsSpan().Fill(1);
        kept[0] = size;
        shape.Span.CopyTo(kept.AsSpan(kept.Length - shape.Rank));
        return new(ReshapeOp.Apply(Apply(front, new Shape(kept)), shape.Inserting(0, size)), 0);
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Sums <paramref name="x"/> over the axes along which <paramref name="shape"/> would be broadcast to x's shape,
    /// giving a tensor of exactly <paramref name="shape"/> (the adjoint of broadcasting). <c>SumTo(x, [])</c> is the total.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not broadcast to x's shape.</exception>
    public static Tensor<T> SumTo<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> => SumToOp.Apply(x, shape);
}
