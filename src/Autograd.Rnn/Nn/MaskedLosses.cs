using System.Numerics;

namespace Autograd.Rnn;

// L1 and the masked regression losses, composed from public ops like the others. Masked-out positions are removed with
// Where before any arithmetic: a NaN or ∞ there (padding, a missing target) reaches neither the loss nor any gradient,
// which multiplying by a 0/1 mask would not give (0·NaN = NaN, and NaN·0 in the backward pass).
public static partial class Loss
{
    /// <summary>Mean absolute error: |prediction − target|, reduced. Shapes must be equal. The gradient at a zero difference is 0.</summary>
    /// <exception cref="ArgumentException">The shapes differ, or the tensors are empty and the reduction is <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not one of <see cref="Reduction"/>'s values.</exception>
    public static Tensor<T> L1<T>(Tensor<T> prediction, Tensor<T> target, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireRegression(prediction, target, reduction, "L1");
        if (reduction == Reduction.Mean && prediction.Size == 0)
            throw new ArgumentException($"L1: prediction {prediction.Shape} has no elements, so the mean is undefined; expected at least one element.", nameof(prediction));
        return Reduce(Tensor.Abs(prediction - target), prediction.Size, reduction, "L1");
    }

    /// <summary>
    /// Masked mean squared error: (prediction − target)² where <paramref name="mask"/> is non-zero (1 counted, 0 masked
    /// out), reduced over the counted elements only (<see cref="Reduction.None"/> gives 0 at masked-out positions).
    /// prediction and target have one shape; the mask has it or broadcasts to it (e.g. [batch, time, 1] for
    /// [batch, time, features]). Masked-out positions never enter the arithmetic: a NaN or ∞ there in prediction or
    /// target leaves the loss finite and gives exactly zero gradient. The mask is read as a constant.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, the mask does not broadcast to them, or nothing is counted and
    /// the reduction is <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not one of <see cref="Reduction"/>'s values.</exception>
    public static Tensor<T> MaskedMse<T>(Tensor<T> prediction, Tensor<T> target, Tensor<T> mask, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var difference = MaskedDifference(prediction, target, mask, reduction, "MaskedMse", out int counted);
        return Reduce(difference * difference, counted, reduction, "MaskedMse");
    }

    /// <summary>
    /// Masked mean absolute error: |prediction − target| where <paramref name="mask"/> is non-zero, reduced over the
    /// counted elements only; shapes, masking and NaN safety as in <see cref="MaskedMse{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, the mask does not broadcast to them, or nothing is counted and
    /// the reduction is <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not one of <see cref="Reduction"/>'s values.</exception>
    public static Tensor<T> MaskedL1<T>(Tensor<T> prediction, Tensor<T> target, Tensor<T> mask, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var difference = MaskedDifference(prediction, target, mask, reduction, "MaskedL1", out int counted);
        return Reduce(Tensor.Abs(difference), counted, reduction, "MaskedL1");
    }

    // prediction − target where the mask is non-zero, else exactly 0; counted is the number of non-zero mask entries
    // once the mask is broadcast to prediction's shape.
    private static Tensor<T> MaskedDifference<T>(Tensor<T> prediction, Tensor<T> target, Tensor<T> mask, Reduction reduction,
        string operation, out int counted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireRegression(prediction, target, reduction, operation);
        ArgumentNullException.ThrowIfNull(mask);
        // The mean divides by how many elements the mask counts, a number read from its values.
        Batching.RequireUnbatched(mask, operation);
        if (!Broadcasting.CanBroadcastTo(mask.Shape, prediction.Shape))
            throw new ArgumentException($"{operation}: mask {mask.Shape} does not broadcast to prediction {prediction.Shape}.", nameof(mask));
        var full = Elementwise.BroadcastTo(mask.Value, prediction.Shape, operation).Span;
        counted = 0;
        foreach (var m in full) if (m != T.Zero) counted++;
        if (reduction == Reduction.Mean && counted == 0)
            throw new ArgumentException($"{operation}: every element of {prediction.Shape} is masked out, so the mean is undefined.", nameof(mask));
        return Tensor.Where(mask, prediction - target, Tensor.Scalar(T.Zero));
    }

    private static void RequireRegression<T>(Tensor<T> prediction, Tensor<T> target, Reduction reduction, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Shape != target.Shape)
            throw new ArgumentException($"{operation}: prediction {prediction.Shape} and target {target.Shape} differ in shape.");
        RequireReduction(reduction, operation);
    }

    private static Tensor<T> Reduce<T>(Tensor<T> elements, int counted, Reduction reduction, string operation)
        where T : unmanaged, IFloatingPointIeee754<T> => reduction switch
    {
        Reduction.Mean => Tensor.Sum(elements) / T.CreateChecked(counted),
        Reduction.Sum => Tensor.Sum(elements),
        Reduction.None => elements,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{operation}: reduction must be Mean, Sum or None."),
    };
}
