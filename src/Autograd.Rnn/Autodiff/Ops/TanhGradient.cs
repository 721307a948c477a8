using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// tanh's VJP as one op: (y, g) -> g⊙(1 − y²) for y = tanh(x), computed in one pass instead of three ops and three
/// temporaries. Its own VJP keeps the backward pass differentiable: for p = g·(1 − y²), ∂p/∂y = −2g⊙y and
/// ∂p/∂g = 1 − y², the latter again this op. JVP: −2ṫy⊙g⊙y + (ṫg)⊙(1 − y²).
/// Batching: batch axes first, examples aligned for broadcasting (<see cref="Batching.Elementwise{T}"/>).</summary>
internal static class TanhGradientOp
{
    public static Tensor<T> Apply<T>(Tensor<T> y, Tensor<T> g) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Binary("TanhGradient", y, g,
            ElementwiseBinary<T, TanhGradientOperator<T>>.Instance,
            Apply,
            static (y, g, _, outer, i) => i == 0
                ? Tensor.SumTo(outer * g * y * T.CreateTruncating(-2), y.Shape)
                : Tensor.SumTo(Apply(y, outer), g.Shape),
            static (y, g, _, t, i) => i == 0 ? t * g * y * T.CreateTruncating(-2) : Apply(y, t),
            static (y, g) => Batching.Elementwise(y, g, Apply));
}
