using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = eˣ. VJP: g⊙y. JVP: t⊙y. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class ExpOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Exp", x,
            ElementwiseUnary<T, ExpOperator<T>>.Instance,
            Apply,
            static (_, y, g) => g * y,
            static (_, y, t) => t * y,
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise natural exponential.</summary>
    public static Tensor<T> Exp<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => ExpOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise natural exponential (lets F#'s <c>exp x</c> work on tensors).</summary>
    public static Tensor<T> Exp(Tensor<T> x) => ExpOp.Apply(x);
}
