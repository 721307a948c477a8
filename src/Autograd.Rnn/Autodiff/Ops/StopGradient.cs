using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// y = x as a value, but a constant at every differentiation level: the result carries no graph node at all.
/// This is JAX's <c>stop_gradient</c>. The alternative — record a node whose VJP returns zeros — gives the same
/// numbers one level at a time, but under nesting its self-reference would record zero-VJP nodes at every outer
/// level, allocate zero cotangents on each sweep, and keep the input's graph alive; a constant does none of this and
/// is unambiguous: nothing outside or inside any <see cref="Grad"/> call can differentiate through it. In forward mode
/// (<see cref="Grad.Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/>) its tangent is therefore zero.
/// </summary>
internal static class StopGradientOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x.Constant;
}

public static partial class Tensor
{
    /// <summary>
    /// The value of <paramref name="x"/> (same shape) as a constant: no gradient flows through it, at any level of
    /// nested <see cref="Grad"/> calls. For example the gradient of <c>Sum(StopGradient(x) * x)</c> is x, not 2x.
    /// </summary>
    public static Tensor<T> StopGradient<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => StopGradientOp.Apply(x);
}
