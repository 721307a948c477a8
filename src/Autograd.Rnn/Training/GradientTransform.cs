using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A stateless map from gradients to gradients that runs before an optimizer in
/// <see cref="Optimizer.Chain(IGradientTransform, IOptimizer, Schedule?)"/> (Optax's <c>clip_by_global_norm</c>,
/// <c>clip</c>). It must keep the names and shapes. Built-in ones are in <see cref="GradientTransform"/>.
/// </summary>
public interface IGradientTransform
{
    /// <summary>The transformed gradients, by the same names and shapes.</summary>
    Params<T> Apply<T>(Params<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>The built-in <see cref="IGradientTransform"/>s: gradient clipping, as <see cref="Clip"/> computes it.</summary>
public static class GradientTransform
{
    /// <summary>
    /// <see cref="Clip.ByGlobalNorm{T}"/> with <paramref name="maxNorm"/> as a transform (PyTorch's
    /// <c>clip_grad_norm_</c>, Optax's <c>clip_by_global_norm</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not finite and &gt; 0.</exception>
    public static IGradientTransform ClipByGlobalNorm(double maxNorm) =>
        new ClipByGlobalNormTransform(Require.Positive(maxNorm, nameof(maxNorm), "GradientTransform.ClipByGlobalNorm"));

    /// <summary><see cref="Clip.ByValue{T}"/> with <paramref name="limit"/> as a transform (PyTorch's <c>clip_grad_value_</c>, Optax's <c>clip</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not finite and ≥ 0.</exception>
    public static IGradientTransform ClipByValue(double limit) =>
        new ClipByValueTransform(Require.NonNegative(limit, nameof(limit), "GradientTransform.ClipByValue"));

    private sealed record ClipByGlobalNormTransform(double MaxNorm) : IGradientTransform
    {
        public Params<T> Apply<T>(Params<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
            Clip.ByGlobalNorm(gradients, MaxNorm).Gradients;

        public override string ToString() => $"ClipByGlobalNorm({MaxNorm})";
    }

    private sealed record ClipByValueTransform(double Limit) : IGradientTransform
    {
        public Params<T> Apply<T>(Params<T> gradients) where T : unmanaged, IFloatingPointIeee754<T> =>
            Clip.ByValue(gradients, Limit).Gradients;

        public override string ToString() => $"ClipByValue({Limit})";
    }
}
