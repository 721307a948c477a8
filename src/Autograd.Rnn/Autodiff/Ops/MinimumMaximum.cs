using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

// Elementwise maximum and minimum are Where over a constant mask of which input the IEEE maximum (minimum) returns:
// they need no gradient or JVP rule of their own. The cotangent goes to the chosen input only, and on ties (a = b) to the first
// input a, never split — the same rule as Max along an axis. Where, unlike mask·a + (1 − mask)·b, keeps a NaN or ∞ in
// the input not chosen out of the value and out of the gradient.
public static partial class Tensor
{
    /// <summary>
    /// Elementwise maximum of a and b with NumPy broadcasting (IEEE 754 maximum: NaN wins, +0 counts as larger than −0).
    /// The gradient goes to the input whose value was taken, summed back to its shape; on ties it goes to
    /// <paramref name="a"/> only (not split between the two).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Maximum<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Where(Compare<T, MaximumTakesFirstRule<T>>(a, b, "Maximum"), a, b);

    /// <summary>
    /// Elementwise minimum of a and b with NumPy broadcasting (IEEE 754 minimum: NaN wins, −0 counts as smaller than +0).
    /// The gradient goes to the input whose value was taken; on ties it goes to <paramref name="a"/> only.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Minimum<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Where(Compare<T, MinimumTakesFirstRule<T>>(a, b, "Minimum"), a, b);
}
