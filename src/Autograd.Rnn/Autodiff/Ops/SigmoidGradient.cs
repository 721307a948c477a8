using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// σ's VJP as one op: (y, g) -> g⊙y⊙(1 − y) for y = σ(x), computed in one pass instead of three ops and three
/// temporaries. Being an op with its own VJP keeps the backward pass differentiable: for the product p = g·y·(1 − y),
/// ∂p/∂y = g⊙(1 − 2y) and ∂p/∂g = y⊙(1 − y), the latter again this op. JVP: ṫy⊙g⊙(1 − 2y) + (ṫg)⊙y⊙(1 − y).
/// Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class SigmoidGradientOp
{
    public static Tensor<T> Apply<T>(Tensor<T> y, Tensor<T> g) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("SigmoidGradient", y, g,
            ElementwiseBinary<T, SigmoidGradientOperator<T>>.Instance,
            Apply,
            static (y, g, _, outer, i) => i == 0
                ? Tensor.SumTo(outer * g * (T.One - (y + y)), y.Shape)
                : Tensor.SumTo(Apply(y, outer), g.Shape),
            static (y, g, _, t, i) => i == 0 ? t * g * (T.One - (y + y)) : Apply(y, t),
            static (y, g) => Batching.Elementwise(y, g, Apply));
}
