using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The per-step views of a slab ([steps, …] → one view per step), kept for the next call while the slab is the same run of
/// the same array: a slab from the scratch pool is usually the one the previous training step used, and its views are
/// then the same values, so a batch-1 step does not allocate one small object per saved value per time step again. Several
/// slabs are remembered: the two directions of a bidirectional layer share their plans, and the pool hands out arrays of
/// one length in an order that varies from call to call.
/// </summary>
internal sealed class SlabViews<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Remembered = 8;

    private readonly (NdArray<T> Slab, NdArray<T>[] Views)?[] kept = new (NdArray<T>, NdArray<T>[])?[Remembered];
    private int next;

    /// <summary>The views of <paramref name="slab"/>'s steps, each of <paramref name="step"/>. The array is never written again.</summary>
    public NdArray<T>[] Of(NdArray<T> slab, Shape step)
    {
        foreach (var entry in kept)
            if (entry is var (known, views) && known.SameRun(slab)) return views;
        int steps = slab.Shape[0];
        var made = new NdArray<T>[steps];
        for (int t = 0; t < steps; t++) made[t] = slab.View(t * step.Size, step);
        kept[next] = (slab, made);
        next = (next + 1) % Remembered;
        return made;
    }
}
