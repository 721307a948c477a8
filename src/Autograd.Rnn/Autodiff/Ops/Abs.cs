using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = |x|. VJP: g⊙sign(x), the sign a constant (0 at x = 0). JVP: t⊙sign(x). Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class AbsOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Abs", x,
            ElementwiseUnary<T, AbsOperator<T>>.Instance,
            Apply,
            static (x, _, g) => g * ConstantMasks.Sign(x),
            static (x, _, t) => t * ConstantMasks.Sign(x),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise absolute value; any shape to the same shape. Its gradient is sign(x), taken as 0 at x = 0.</summary>
    public static Tensor<T> Abs<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => AbsOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise absolute value (lets F#'s <c>abs x</c> work on tensors).</summary>
    public static Tensor<T> Abs(Tensor<T> x) => AbsOp.Apply(x);
}
