using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = min(max(x, min), max). VJP: g where min &lt; x &lt; max strictly, else 0 (a constant mask). JVP: t under the same mask. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class ClampOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x, T min, T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(min) || T.IsNaN(max) || min > max)
            throw new ArgumentException($"Clamp: the bounds [{min}, {max}] for shape {x.Shape} are not an interval (min must be ≤ max, neither NaN).");
        return Trace.Unary("Clamp", x,
            v => Kernel(v, min, max),
            v => Apply(v, min, max),
            (x, _, g) => g * ConstantMasks.Inside(x, min, max),
            (x, _, t) => t * ConstantMasks.Inside(x, min, max),
            (x, axis) => new(Apply(x, min, max), axis));
    }

    private static NdArray<T> Kernel<T>(NdArray<T> x, T min, T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = GC.AllocateUninitializedArray<T>(x.Size);
        ActivationKernels.Clamp(x.Span, min, max, result);
        return new NdArray<T>(result, x.Shape);
    }
}

public static partial class Tensor
{
    /// <summary>
    /// Elementwise clamp of x into [<paramref name="min"/>, <paramref name="max"/>]; any shape to the same shape.
    /// Infinite bounds make it one-sided; NaN stays NaN. The gradient is 1 strictly inside the interval and 0 outside
    /// and on the bounds themselves.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> &gt; <paramref name="max"/>, or either is NaN.</exception>
    public static Tensor<T> Clamp<T>(Tensor<T> x, T min, T max) where T : unmanaged, IFloatingPointIeee754<T> => ClampOp.Apply(x, min, max);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise clamp into [<paramref name="min"/>, <paramref name="max"/>] (see <see cref="Tensor.Clamp{T}(Tensor{T}, T, T)"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> &gt; <paramref name="max"/>, or either is NaN.</exception>
    public Tensor<T> Clamp(T min, T max) => ClampOp.Apply(this, min, max);
}
