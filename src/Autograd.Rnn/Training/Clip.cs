using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Gradient clipping (Pascanu, Mikolov and Bengio 2013), the standard remedy for exploding gradients in recurrent
/// networks. Pure functions: the gradients given are not changed.
/// </summary>
public static class Clip
{
    /// <summary>
    /// Rescales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>, as
    /// <c>torch.nn.utils.clip_grad_norm_</c>: with n the global norm, every gradient is multiplied by
    /// maxNorm / (n + 1e-6) when that factor is below 1, and left unchanged otherwise. The direction of the
    /// combined gradient is kept.
    /// </summary>
    /// <param name="gradients">The gradients, by name.</param>
    /// <param name="maxNorm">The largest global norm allowed (&gt; 0).</param>
    /// <returns>The clipped gradients and the norm before clipping.</returns>
    /// <exception cref="ArgumentException">A gradient holds a NaN or an infinity (the message names it and where).</exception>
    public static ClipResult<T> ByGlobalNorm<T>(Params<T> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Clip.ByGlobalNorm: maxNorm must be > 0.");
        OptimizerSlots.RequireFinite(gradients, "Clip.ByGlobalNorm");
        T norm = SumOfSquares(gradients, T.One) is var sum && T.IsFinite(sum) ? T.Sqrt(sum) : T.PositiveInfinity;
        T coefficient;
        if (T.IsFinite(norm))
        {
            // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), applied when below 1 (clamped to 1 otherwise).
            coefficient = T.CreateChecked(maxNorm) / (norm + T.CreateChecked(1e-6));
        }
        else
        {
            // Σ g² overflowed although every g is finite (float entries of ~1e19 suffice): the same norm as
            // |g|max·√Σ(g/|g|max)², whose sum cannot overflow. The coefficient is formed without the norm itself, which
            // may lie beyond T's range; the 1e-6 is far below the norm's last digit here.
            T largest = LargestMagnitude(gradients);
            T scaled = T.Sqrt(SumOfSquares(gradients, largest));
            coefficient = T.CreateChecked(maxNorm) / largest / scaled;
            norm = largest * scaled;
        }
        var clipped = coefficient < T.One ? gradients.Map(g => g * coefficient) : gradients;
        return new ClipResult<T>(clipped, norm);
    }

    /// <summary>
    /// Clamps every gradient element to [−<paramref name="limit"/>, <paramref name="limit"/>], as
    /// <c>torch.nn.utils.clip_grad_value_</c>. Unlike <see cref="ByGlobalNorm{T}"/> this changes the gradient's direction.
    /// </summary>
    /// <param name="gradients">The gradients, by name.</param>
    /// <param name="limit">The largest magnitude allowed per element (≥ 0).</param>
    /// <returns>The clipped gradients and the global norm before clipping.</returns>
    /// <exception cref="ArgumentException">A gradient holds a NaN or an infinity (the message names it and where).</exception>
    public static ClipResult<T> ByValue<T>(Params<T> gradients, double limit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(limit >= 0)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "Clip.ByValue: limit must be ≥ 0.");
        OptimizerSlots.RequireFinite(gradients, "Clip.ByValue");
        T high = T.CreateChecked(limit);
        return new ClipResult<T>(gradients.Map(g => Tensor.Clamp(g, -high, high)), GlobalNorm(gradients));
    }

    /// <summary>
    /// The global L2 norm √(Σ g²) over every element of every tensor (0 for no gradients). Finite whenever the norm
    /// itself is within T's range, even where Σ g² is not; infinite only if an element is, or the norm exceeds T's range.
    /// </summary>
    public static T GlobalNorm<T>(Params<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        T sum = SumOfSquares(gradients, T.One);
        if (T.IsFinite(sum) || T.IsNaN(sum)) return T.Sqrt(sum);
        T largest = LargestMagnitude(gradients);
        return T.IsFinite(largest) ? largest * T.Sqrt(SumOfSquares(gradients, largest)) : largest;
    }

    // Σ (g / scale)² over every element; scale 1 is the plain sum (no division, so the usual case stays bit-identical).
    private static T SumOfSquares<T>(Params<T> gradients, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (var (_, g) in gradients)
        {
            var x = scale == T.One ? g : g / scale;
            sum += Tensor.Sum(x * x).Item;
        }
        return sum;
    }

    private static T LargestMagnitude<T>(Params<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T largest = T.Zero;
        foreach (var (_, g) in gradients)
            if (g.Size > 0) largest = T.Max(largest, Tensor.Max(Tensor.Abs(g)).Item);
        return largest;
    }
}
