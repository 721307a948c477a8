using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Pushes an output cotangent back to one input of the op that made a node. Written with public tensor ops,
/// so the backward pass is itself differentiable at outer levels.
/// </summary>
internal delegate Tensor<T> VjpRule<T>(Tensor<T> outputCotangent, int inputIndex) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// For an input whose cotangent is a product Lᵀ·R that contracts over rows (a weight's gradient in a matrix product):
/// the two factors, so that the backward sweep can sum all such contributions to one tensor as one product of the
/// row-stacked factors — Σₜ Lₜᵀ·Rₜ = [L₁; …; Lₙ]ᵀ·[R₁; …; Rₙ] — instead of one product and one addition per use.
/// Null for inputs whose cotangent has another form.
/// </summary>
internal delegate (Tensor<T> Left, Tensor<T> Right)? RowContractionRule<T>(Tensor<T> outputCotangent, int inputIndex)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// One immutable vertex of a computation graph at one differentiation level (<see cref="Level"/>).
/// A leaf has no inputs; an op node lists the inputs that were traced at the same level (null for inputs that
/// are constants at this level) and the rule that sends cotangents to them. At a forward level a node is a dual
/// number's perturbation instead: no inputs, no rule, only its tangent.
/// </summary>
internal sealed class Node<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Node(Level level, string operation, Tensor<T>?[] inputs, VjpRule<T>? vjp, NarrowSlice? slice = null,
        RowContractionRule<T>? rowContraction = null, PlanStep<T>? step = null, Tensor<T>? tangent = null, int batchAxis = -1)
    {
        BatchAxis = batchAxis;
        Tangent = tangent;
        Step = step;
        Slice = slice;
        RowContraction = rowContraction;
        Level = level;
        Origin = Anomaly.Active ? Anomaly.CallSite() : null;
        Operation = operation;
        Inputs = inputs;
        Vjp = vjp;
    }

    /// <summary>The differentiation level: one per <see cref="Grad"/> call, increasing with nesting.</summary>
    public Level Level { get; }

    /// <summary>The level's id.</summary>
    public long Tag => Level.Id;

    /// <summary>In anomaly mode (<see cref="Anomaly.Detect"/>): the caller's code that recorded this node; otherwise null.</summary>
    public string? Origin { get; }

    /// <summary>The op's name, for messages.</summary>
    public string Operation { get; }

    public Tensor<T>?[] Inputs { get; }

    public VjpRule<T>? Vjp { get; }

    public bool IsLeaf => Vjp is null;

    /// <summary>
    /// For a node that takes a slice of its one input along an axis: which slice. The backward sweep then collects the
    /// cotangents of all slices of that input and joins them once, rather than padding each to the input's full size.
    /// </summary>
    public NarrowSlice? Slice { get; }

    /// <summary>When set: the factors of inputs whose cotangent is a row contraction (see <see cref="RowContractionRule{T}"/>).</summary>
    public RowContractionRule<T>? RowContraction { get; }

    /// <summary>
    /// At a forward level (<see cref="Level.IsForward"/>): the tangent of the tensor this node belongs to — its directional
    /// derivative, shaped like it, itself possibly traced at outer levels (so it can be differentiated again);
    /// otherwise null.
    /// </summary>
    public Tensor<T>? Tangent { get; }

    /// <summary>
    /// At a batching level (<see cref="Level.IsBatching"/>): where the batch axis is in the tensor one level down (the
    /// tensor's primal, which holds the whole batch: the tensor's shape with this axis inserted); otherwise −1.
    /// </summary>
    public int BatchAxis { get; }

    /// <summary>At a planning level (<see cref="Level.IsPlanning"/>): how a plan replays this op; otherwise null.</summary>
    public PlanStep<T>? Step { get; }
}

/// <summary>Positions [Start, Start + Length) along Axis (normalized).</summary>
internal readonly record struct NarrowSlice(int Axis, int Start, int Length);
