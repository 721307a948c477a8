using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A fully connected layer y = x·Wᵀ + b with PyTorch's parameter names and layout: <c>weight</c> [out, in],
/// <c>bias</c> [out]. A composition of public ops: <see cref="Tensor.Linear{T}"/> with the layer's parameters.
/// </summary>
public static class Linear
{
    /// <summary>
    /// Parameters <c>weight</c> [outFeatures, inFeatures] and (unless <paramref name="bias"/> is false) <c>bias</c> [outFeatures],
    /// initialised as PyTorch's <c>nn.Linear</c>: U(−1/√inFeatures, 1/√inFeatures).
    /// </summary>
    public static Params<T> Init<T>(int inFeatures, int outFeatures, ulong seed, bool bias = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        var p = Params<T>.Empty.Add("weight", Rnn.Init.PyTorchDefault<T>([outFeatures, inFeatures], inFeatures, seed));
        return bias ? p.Add("bias", Rnn.Init.PyTorchDefault<T>([outFeatures], inFeatures, seed + 1)) : p;
    }

    /// <summary>
    /// x [..., inFeatures] -> [..., outFeatures]: x·weightᵀ (+ bias when the parameters have one). Leading dimensions
    /// are flattened into one matrix product.
    /// </summary>
    /// <exception cref="ArgumentException">x's last dimension differs from the weight's input size.</exception>
    public static Tensor<T> Apply<T>(Params<T> parameters, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(x);
        var weight = parameters["weight"];
        if (x.Rank == 0 || x.Shape[-1] != weight.Shape[1])
            throw new ArgumentException($"Linear: input {x.Shape} does not end in the weight's input size {weight.Shape[1]} (weight {weight.Shape}).");
        return Tensor.Linear(x, weight, parameters.Contains("bias") ? parameters["bias"] : null);
    }
}
