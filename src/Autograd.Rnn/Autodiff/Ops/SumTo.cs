using System.Numerics;

namespace Autograd.Rnn;

/// <summary>Sums x down to a shape it could have been broadcast from. VJP: g broadcast back to x's shape. JVP (linear): the tangent summed the same way.</summary>
internal static class SumToOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, Shape shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape == shape) return x;
        return Trace.Unary("SumTo", x,
            v => Elementwise.SumTo(v, shape, "SumTo"),
            v => Apply(v, shape),
            static (x, _, g) => BroadcastToOp.Apply(g, x.Shape),
            (_, _, t) => Apply(t, shape));
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
