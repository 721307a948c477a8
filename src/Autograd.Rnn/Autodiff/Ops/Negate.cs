using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>−x. VJP: −g. JVP: −t. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class NegateOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Negate", x,
            ElementwiseUnary<T, NegateOperator<T>>.Instance,
            Apply,
            static (_, _, g) => Apply(g),
            static (_, _, t) => Apply(t),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise −x.</summary>
    public static Tensor<T> Negate<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => NegateOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise −x.</summary>
    public static Tensor<T> operator -(Tensor<T> x) => NegateOp.Apply(x);
}
