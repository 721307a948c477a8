using System.Numerics;
using System.Runtime.CompilerServices;

namespace Autograd.Rnn;

/// <summary>
/// Cells' input projections as compiled functions (<see cref="Compile"/>), kept per cell across <c>Recurrence.Scan</c>
/// calls: a projection with elementwise work after its product (a layer norm, say) then trains as one planned op per
/// block of steps instead of one eager op per operation over every block. Only a projection that captures nothing is
/// compiled (see <see cref="StepVjpPlans{T}"/>: one that does may compute something else on the next call); a projection
/// that is one op stays that op, and every case a plan cannot stand for runs eagerly, as <see cref="Compile"/> says.
/// </summary>
internal static class PlannedProjections<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Training plans kept per cell: the sets of block shapes of a few sequence lengths.</summary>
    private const int Capacity = 8;

    private static readonly ConditionalWeakTable<Cell<T>, Holder> kept = new();

    private sealed class Holder(Func<Params<T>, Tensor<T>, Tensor<T>>? compiled)
    {
        public Func<Params<T>, Tensor<T>, Tensor<T>>? Compiled { get; } = compiled;
    }

    /// <summary>
    /// Where the projected inputs of <paramref name="cell"/> may live while they are computed (lend it around the
    /// projection's calls), or null for new arrays: the level's scratch (<see cref="LevelScratch.Arena"/>) under one
    /// <see cref="Grad"/> level, when the cell's projection and step close over nothing. Then the projected inputs are read
    /// only by the unroll and by the level's sweep: no caller's code holds them, and a step that captures nothing cannot
    /// keep one of its inputs anywhere, so the next training step may write them again.
    /// </summary>
    public static IValueArena? ScratchFor(Cell<T> cell, Params<T> parameters, Tensor<T> inputs)
    {
        if (!PlanRecorder.Enabled || Grad.Running != 1 || Grad.AnyVmapRunning || cell.InputProjection is null) return null;
        if (HolderOf(cell).Compiled is null || !StepVjpPlans<T>.CapturesNothing(cell.ProjectedStep)) return null;
        return PlannedCall.LevelFor([.. parameters.Tensors(), inputs]) is { } level ? LevelScratch.Arena(level) : null;
    }

    /// <summary>The projection <c>Scan</c> should call for <paramref name="cell"/>: compiled when it may be, else the cell's own.</summary>
    public static Func<Params<T>, Tensor<T>, Tensor<T>> For(Cell<T> cell)
    {
        var projection = cell.InputProjection ?? throw new ArgumentException($"Scan: the {cell.Name} cell has no input projection.", nameof(cell));
        if (!PlanRecorder.Enabled) return projection;
        return HolderOf(cell).Compiled ?? projection;
    }

    private static Holder HolderOf(Cell<T> cell) =>
        kept.GetValue(cell, c => new Holder(StepVjpPlans<T>.CapturesNothing(c.InputProjection!) ? Compile.Function(c.InputProjection!, Capacity) : null));
}
