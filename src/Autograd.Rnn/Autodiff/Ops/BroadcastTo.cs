using System.Numerics;

namespace Autograd.Rnn;

/// <summary>Repeats x along broadcast axes to fill a shape. VJP: g summed back to x's shape. JVP (linear): the tangent broadcast the same way. Batching: batch axis first and the example aligned to the target's rank, then broadcast to [B, shape…].</summary>
internal static class BroadcastToOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape == shape) return x;
        return Trace.Unary("BroadcastTo", x,
            v => Elementwise.BroadcastTo(v, shape, "BroadcastTo"),
            v => Apply(v, shape),
            static (x, _, g) => SumToOp.Apply(g, x.Shape),
            (_, _, t) => Apply(t, shape),
            (x, axis) => new(Apply(Batching.Align(new Batched<T>(x, axis), shape.Rank), shape.Inserting(0, x.Shape.Span[axis])), 0),
            // Only a planning level reads the form, so eager broadcasts do not allocate one.
            form: x.Live.Node is { Level.IsPlanning: true } ? new IntoBuffer<T>(shape) : null);
    }

    /// <summary>The plan form: the eager tiling copy, into the plan's buffer.</summary>
    private sealed class IntoBuffer<T>(Shape shape) : IntoForm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => Elementwise.BroadcastInto(inputs[0], destination, shape);
    }
}

public static partial class Tensor
{
    /// <summary>Repeats <paramref name="x"/> along its size-1 (or missing leading) axes to fill <paramref name="shape"/>, NumPy-style.</summary>
    /// <exception cref="ArgumentException">x's shape does not broadcast to <paramref name="shape"/>.</exception>
    public static Tensor<T> BroadcastTo<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> => BroadcastToOp.Apply(x, shape);
}
