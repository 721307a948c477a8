using System.Numerics;

namespace Autograd.Rnn;

// GELU is a composition of Erf (or Tanh), Multiply and Add: it needs no gradient or JVP rule of its own.
public static partial class Tensor
{
    /// <summary>
    /// Elementwise Gaussian error linear unit x·Φ(x); any shape to the same shape. By default the exact form
    /// 0.5·x·(1 + erf(x/√2)), PyTorch's default; with <paramref name="approximate"/> the tanh form
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's <c>approximate='tanh'</c>.
    /// </summary>
    public static Tensor<T> Gelu<T>(Tensor<T> x, bool approximate = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var half = T.CreateChecked(0.5);
        if (!approximate) return half * x * (T.One + Erf(x * T.CreateChecked(0.70710678118654752440)));
        var inner = (x + T.CreateChecked(0.044715) * x * x * x) * T.CreateChecked(0.79788456080286535588); // √(2/π)
        return half * x * (T.One + Tanh(inner));
    }
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise GELU, exact (erf) or, with <paramref name="approximate"/>, the tanh form (see <see cref="Tensor.Gelu{T}(Tensor{T}, bool)"/>).</summary>
    public Tensor<T> Gelu(bool approximate = false) => Tensor.Gelu(this, approximate);
}
