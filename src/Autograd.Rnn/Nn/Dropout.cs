using System.Numerics;

namespace Autograd.Rnn;

// Dropout is x times a constant mask: Multiply's VJP gives the gradient (g times the same mask).
public static partial class Tensor
{
    /// <summary>
    /// Inverted dropout: each element of x is zeroed with probability <paramref name="probability"/> and the others are
    /// scaled by 1/(1 − p), so the expected value is unchanged; any shape to the same shape. The mask is drawn from
    /// <paramref name="seed"/> (SplitMix64, one draw per element in row-major order): the same seed and shape give the
    /// same mask on every machine, so pass a fresh seed per step (and per layer). The gradient is the cotangent times
    /// the same mask. p = 0 returns x itself. For inference, do not call it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in [0, 1).</exception>
    public static Tensor<T> Dropout<T>(Tensor<T> x, double probability, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Require.UnitInterval(probability, nameof(probability), "Dropout");
        if (probability == 0) return x;
        var scale = T.CreateChecked(1.0 / (1.0 - probability));
        var mask = new T[x.Size];
        var random = new SplitMix64(seed);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < probability ? T.Zero : scale;
        return x * new Tensor<T>(new NdArray<T>(mask, x.Shape));
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Inverted dropout with a seeded mask (see <see cref="Tensor.Dropout{T}(Tensor{T}, double, ulong)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in [0, 1).</exception>
    public Tensor<T> Dropout(double probability, ulong seed) => Tensor.Dropout(this, probability, seed);
}
