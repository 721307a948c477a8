using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = max(x, 0). VJP: g⊙[x &gt; 0], the mask a constant (its derivative is zero almost everywhere).
/// JVP: t⊙[x &gt; 0]. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class ReluOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Relu", x,
            ElementwiseUnary<T, ReluOperator<T>>.Instance,
            Apply,
            static (x, _, g) => g * ConstantMasks.Positive(x),
            static (x, _, t) => t * ConstantMasks.Positive(x),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>
    /// Elementwise rectified linear unit max(x, 0); any shape to the same shape. NaN stays NaN; −0 becomes +0.
    /// Its gradient is 1 where x &gt; 0 and 0 where x ≤ 0 (0 at the kink, as in PyTorch).
    /// </summary>
    public static Tensor<T> Relu<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => ReluOp.Apply(x);
}
