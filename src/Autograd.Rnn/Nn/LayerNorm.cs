using System.Numerics;

namespace Autograd.Rnn;

// Layer normalisation is a composition of Mean, Subtract, Multiply, Sqrt and Divide: it has no gradient rule of its own
// (none has been measured to need one).
public static partial class Tensor
{
    /// <summary>
    /// Layer normalisation over the last axis, as PyTorch's <c>nn.LayerNorm(features)</c>:
    /// y = (x − mean) / √(variance + ε) · weight + bias, with the mean and the biased variance (divided by the number of
    /// features) taken over the last axis of each row. x [..., features] -> [..., features]; <paramref name="weight"/> and
    /// <paramref name="bias"/> are [features] and optional (omitted, they act as 1 and 0).
    /// </summary>
    /// <exception cref="ArgumentException">x is a scalar or has no features, or weight or bias is not [features].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    public static Tensor<T> LayerNorm<T>(Tensor<T> x, Tensor<T>? weight = null, Tensor<T>? bias = null, double epsilon = 1e-5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Require.NonNegative(epsilon, nameof(epsilon), "LayerNorm");
        if (x.Rank == 0 || x.Shape[-1] == 0)
            throw new ArgumentException($"LayerNorm: x {x.Shape} must have a non-empty last axis to normalise over.", nameof(x));
        var features = new Shape(x.Shape[-1]);
        if (weight is not null && weight.Shape != features)
            throw new ArgumentException($"LayerNorm: weight {weight.Shape} must be {features} for x {x.Shape}.", nameof(weight));
        if (bias is not null && bias.Shape != features)
            throw new ArgumentException($"LayerNorm: bias {bias.Shape} must be {features} for x {x.Shape}.", nameof(bias));
        var centered = x - Mean(x, -1, keepDimension: true);
        var variance = Mean(centered * centered, -1, keepDimension: true);
        var y = centered / Sqrt(variance + T.CreateChecked(epsilon));
        if (weight is not null) y *= weight;
        return bias is null ? y : y + bias;
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Layer normalisation over the last axis (see <see cref="Tensor.LayerNorm{T}(Tensor{T}, Tensor{T}, Tensor{T}, double)"/>).</summary>
    /// <exception cref="ArgumentException">The tensor is a scalar or has no features, or weight or bias is not [features].</exception>
    public Tensor<T> LayerNorm(Tensor<T>? weight = null, Tensor<T>? bias = null, double epsilon = 1e-5) => Tensor.LayerNorm(this, weight, bias, epsilon);
}
