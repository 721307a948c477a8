using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = sin x. VJP: g⊙cos x. JVP: t⊙cos x. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class SinOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Sin", x,
            static v => Elementwise.Unary<T, SinOperator<T>>(v),
            Apply,
            static (x, _, g) => g * CosOp.Apply(x),
            static (x, _, t) => t * CosOp.Apply(x),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise sine (radians); any shape to the same shape. sin(±∞) and sin(NaN) are NaN; sin(−0) = −0.</summary>
    public static Tensor<T> Sin<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => SinOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise sine (lets F#'s <c>sin x</c> work on tensors).</summary>
    public static Tensor<T> Sin(Tensor<T> x) => SinOp.Apply(x);
}
