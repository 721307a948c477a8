using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

// Comparisons return 0/1 masks as constants: a step function has zero derivative almost everywhere, so they record no
// graph node whatever their inputs' tracing (like the masks inside relu's and max's VJPs), and in forward mode their
// tangent is zero: the result is a constant at every level, dual inputs included. Use them with Where, Multiply or the
// masked losses.
public static partial class Tensor
{
    /// <summary>
    /// 1 where a &gt; b, else 0, elementwise with NumPy broadcasting, as a constant of the same element type (not
    /// differentiable: no gradient flows through it, even from traced inputs). Any comparison with NaN gives 0.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Greater<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compare<T, GreaterRule<T>>(a, b, "Greater");

    /// <summary>1 where a &lt; b, else 0 (a constant; NaN gives 0; see <see cref="Greater{T}"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Less<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compare<T, LessRule<T>>(a, b, "Less");

    /// <summary>1 where a ≥ b, else 0 (a constant; NaN gives 0; see <see cref="Greater{T}"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> GreaterOrEqual<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compare<T, GreaterOrEqualRule<T>>(a, b, "GreaterOrEqual");

    /// <summary>1 where a ≤ b, else 0 (a constant; NaN gives 0; see <see cref="Greater{T}"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> LessOrEqual<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compare<T, LessOrEqualRule<T>>(a, b, "LessOrEqual");

    /// <summary>1 where a = b, else 0 (a constant; −0 equals +0, NaN equals nothing; see <see cref="Greater{T}"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor<T> Equal<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Compare<T, EqualRule<T>>(a, b, "Equal");

    // The rule's 0/1 result over the broadcast shape, built from the raw values: never traced.
    internal static Tensor<T> Compare<T, TRule>(Tensor<T> a, Tensor<T> b, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : ICompareRule<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Under Vmap: one comparison per example, as one comparison of the aligned batches (still a constant one level down).
        if (Batching.ForValues([a, b], out var batched) is { } level)
            return Tensor<T>.Batch(Batching.Elementwise(batched[0], batched[1], (x, y) => Compare<T, TRule>(x, y, operation)).Value, 0, level, operation);
        return new Tensor<T>(Elementwise.Binary<T, CompareOperator<T, TRule>>(a.Value, b.Value, operation));
    }
}
