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

    /// <summary>The projection <c>Scan</c> should call for <paramref name="cell"/>: compiled when it may be, else the cell's own.</summary>
    public static Func<Params<T>, Tensor<T>, Tensor<T>> For(Cell<T> cell)
    {
        var projection = cell.InputProjection ?? throw new ArgumentException($"Scan: the {cell.Name} cell has no input projection.", nameof(cell));
        if (!PlanRecorder.Enabled) return projection;
        var holder = kept.GetValue(cell, c => new Holder(StepVjpPlans<T>.CapturesNothing(projection) ? Compile.Function(projection, Capacity) : null));
        return holder.Compiled ?? projection;
    }
}
