using System.Numerics;

namespace Autograd.Rnn;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over the counted elements (those not ignored or masked out).</summary>
    Mean,

    /// <summary>The sum over the counted elements.</summary>
    Sum,

    /// <summary>No reduction: one value per element (zero where ignored or masked out).</summary>
    None,
}

/// <summary>Loss functions, composed from public ops (no gradient code of their own).</summary>
public static partial class Loss
{
    /// <summary>PyTorch's default ignore index: targets equal to it contribute nothing.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>
    /// Cross-entropy from unnormalised scores: −log softmax(logits)[target], per row.
    /// logits [..., classes] with one integer target per row (the leading dimensions flattened, e.g. [time, batch, classes]
    /// with time·batch targets). Rows whose target is <paramref name="ignoreIndex"/>, or whose <paramref name="mask"/>
    /// entry is false, contribute nothing and are not counted by <see cref="Reduction.Mean"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The number of targets or mask entries differs from the number of rows, a target is
    /// out of range, or (with <see cref="Reduction.Mean"/>) every row is ignored.</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, int[] targets, Reduction reduction = Reduction.Mean,
        int ignoreIndex = DefaultIgnoreIndex, bool[]? mask = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank == 0) throw new ArgumentException("CrossEntropy: logits must have a class dimension; got a scalar.");
        return NllCore(logits, targets, reduction, ignoreIndex, mask, "CrossEntropy", normalize: true);
    }

    /// <summary>
    /// Negative log-likelihood from log-probabilities [..., classes] (e.g. the output of <c>Tensor.LogSoftmax</c>):
    /// −logProbabilities[row, target]. Ignore index, mask and reduction as in <see cref="CrossEntropy{T}"/>.
    /// </summary>
    public static Tensor<T> Nll<T>(Tensor<T> logProbabilities, int[] targets, Reduction reduction = Reduction.Mean,
        int ignoreIndex = DefaultIgnoreIndex, bool[]? mask = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        if (logProbabilities.Rank == 0) throw new ArgumentException("Nll: log-probabilities must have a class dimension; got a scalar.");
        return NllCore(logProbabilities, targets, reduction, ignoreIndex, mask, "Nll", normalize: false);
    }

    /// <summary>Mean squared error: (prediction − target)², reduced. Shapes must be equal.</summary>
    /// <exception cref="ArgumentException">The shapes differ, or the tensors are empty and the reduction is <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The reduction is not one of <see cref="Reduction"/>'s values.</exception>
    public static Tensor<T> Mse<T>(Tensor<T> prediction, Tensor<T> target, Reduction reduction = Reduction.Mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Shape != target.Shape)
            throw new ArgumentException($"Mse: prediction {prediction.Shape} and target {target.Shape} differ in shape.");
        RequireReduction(reduction, "Mse");
        if (reduction == Reduction.Mean && prediction.Size == 0)
            throw new ArgumentException($"Mse: prediction {prediction.Shape} has no elements, so the mean is undefined; expected at least one element.", nameof(prediction));
        var difference = prediction - target;
        var squared = difference * difference;
        return reduction switch
        {
            Reduction.Mean => Tensor.Mean(squared),
            Reduction.Sum => Tensor.Sum(squared),
            _ => squared,
        };
    }

    // Picks each counted row's target entry with a gather, whose VJP scatters the gradient back. Entries that are not
    // picked never enter the arithmetic, so a −∞ log-probability elsewhere in a row (a class given probability 0, a logit
    // masked with −∞) or a non-finite value in an ignored row cannot turn the loss into NaN, as multiplying by a one-hot
    // mask would (0·(−∞) = NaN). With normalize (cross-entropy), the counted rows are gathered first and only they go
    // through log-softmax: its backward pass scales each row's softmax by the row's cotangent sum, and a NaN logit in an
    // ignored row would otherwise give 0·NaN = NaN there and in every parameter upstream.
    private static Tensor<T> NllCore<T>(Tensor<T> scores, int[] targets, Reduction reduction, int ignoreIndex,
        bool[]? mask, string operation, bool normalize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(targets);
        RequireReduction(reduction, operation);
        var shape = scores.Shape;
        int classes = shape[-1];
        int rows = shape.Product(0, shape.Rank - 1);
        if (targets.Length != rows)
            throw new ArgumentException($"{operation}: {targets.Length} targets for {rows} rows of {shape}.");
        if (mask is not null && mask.Length != rows)
            throw new ArgumentException($"{operation}: mask has {mask.Length} entries for {rows} rows of {shape}.");
        var countedRows = new List<int>(rows);
        for (int r = 0; r < rows; r++)
        {
            int target = targets[r];
            if (target == ignoreIndex || (mask is not null && !mask[r])) continue;
            if ((uint)target >= (uint)classes)
                throw new ArgumentException($"{operation}: target {target} at row {r} is outside [0, {classes}).");
            countedRows.Add(r);
        }
        var table = scores.Reshape(rows, classes);
        bool gathered = normalize && countedRows.Count < rows;
        if (gathered) table = Tensor.GatherRows(table, [.. countedRows]);
        if (normalize) table = Tensor.LogSoftmax(table);
        var entries = new int[countedRows.Count];
        for (int i = 0; i < entries.Length; i++) entries[i] = (gathered ? i : countedRows[i]) * classes + targets[countedRows[i]];
        var losses = -Tensor.GatherRows(table.Reshape(table.Shape[0] * classes), entries); // [counted]
        switch (reduction)
        {
            case Reduction.None:
                var perRow = Tensor.ScatterAddRows(losses, [.. countedRows], rows); // zero where not counted
                return perRow.Reshape(shape.ToArray()[..^1]);
            case Reduction.Sum:
                return Tensor.Sum(losses);
            default:
                if (entries.Length == 0)
                    throw new ArgumentException($"{operation}: every row is ignored or masked out, so the mean is undefined.");
                return Tensor.Sum(losses) / T.CreateChecked(entries.Length);
        }
    }

    private static void RequireReduction(Reduction reduction, string operation)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{operation}: reduction must be Mean, Sum or None.");
    }
}
