using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Training through a compiled function (<see cref="Compile"/>): a call whose traced inputs are all traced at the one live
/// <see cref="Grad"/> level runs its forward plan and is recorded at that level as one op, whose VJP replays the backward
/// plan once for every input (the function and its VJP recorded together, <see cref="StepVjpPlan{T}.RecordFunction"/>).
/// Values are the eager bits; gradients sum the same terms, possibly in another order.
/// </summary>
/// <remarks>
/// The op's VJP runs kernels, so it is not differentiable again: under an enclosing level (gradients of gradients, HVPs)
/// the function runs eagerly, as <c>Recurrence.Scan</c>'s steps do. Only functions with one result are planned this
/// way; several results would be several ops sharing one backward run.
/// </remarks>
internal static class PlannedCall
{
    /// <summary>The level a call on <paramref name="inputs"/> may be recorded at as one planned op, or null.</summary>
    public static Level? LevelFor<T>(Tensor<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!PlanRecorder.Enabled || Grad.Running != 1) return null;
        var live = Array.ConvertAll(inputs, input => input.Live);
        return PlannedUnroll.SoleReverseLevel<T>(live);
    }

    /// <summary>The untraced values of <paramref name="inputs"/> under <paramref name="level"/>: what the plans run on.</summary>
    public static Tensor<T>[] Primals<T>(Tensor<T>[] inputs, Level level) where T : unmanaged, IFloatingPointIeee754<T> =>
        Array.ConvertAll(inputs, input => input.Live.PrimalAt(level.Id));

    /// <summary>Runs <paramref name="plan"/> (one result) on <paramref name="primals"/> and records it at <paramref name="level"/>.</summary>
    public static Tensor<T> Run<T>(StepVjpPlan<T> plan, Tensor<T>[] inputs, Tensor<T>[] primals, Level level)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var results = plan.Forward.Run(primals);
        var traced = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Live.Node is not null && plan.Reached[i]) traced[i] = inputs[i].Live;
        var vjp = new CallVjp<T>(plan, primals, results[1..]);
        return Tensor<T>.Record(results[0], level, "Compiled function (planned)", traced, vjp.Cotangent);
    }

    /// <summary>The call's VJP: the backward plan runs once, on the first input's request, for every input.</summary>
    private sealed class CallVjp<T>(StepVjpPlan<T> plan, Tensor<T>[] primals, Tensor<T>[] saved) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly CotangentsOnce<T> once = new("Compile: a planned call", g =>
        {
            // The compiled function's lock covers its forward runs only; its backward plan is replayed here, during
            // a sweep, and another thread's sweep may be replaying it too.
            lock (plan.Backward) return plan.Backward.Run([.. primals, .. saved, g]);
        });

        public Tensor<T> Cotangent(Tensor<T> g, int inputIndex) => once.For(g, inputIndex)!;
    }
}
