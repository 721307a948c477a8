using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// The piecewise-constant factors that VJPs of kinked ops multiply by (relu's 0/1, abs's sign, clamp's interval,
/// max's one-hot). They are built from raw values and returned as constants: their derivative is zero almost
/// everywhere, so treating them as constants keeps the backward pass differentiable at outer levels.
/// A NaN input gives a NaN factor, so NaN forward values are not hidden by a zero gradient.
/// </summary>
internal static class ConstantMasks
{
    /// <summary>1 where x &gt; 0, else 0.</summary>
    public static Tensor<T> Positive<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Build(x, new PositiveRule<T>());

    /// <summary>The sign of x: ±1, and 0 at ±0.</summary>
    public static Tensor<T> Sign<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Build(x, new SignRule<T>());

    /// <summary>1 where min &lt; x &lt; max, else 0.</summary>
    public static Tensor<T> Inside<T>(Tensor<T> x, T min, T max) where T : unmanaged, IFloatingPointIeee754<T> =>
        Build(x, new InsideRule<T>(min, max));

    /// <summary>One-hot (shaped like x) of the first maximal element along <paramref name="axis"/>; <paramref name="max"/> has that axis kept at size 1.</summary>
    public static Tensor<T> FirstMax<T>(Tensor<T> x, Tensor<T> max, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Under Vmap: the masks of all examples at once, from the batches with the batch axis first.
        if (Batching.ForValues([x, max], out var batched) is { } level)
        {
            int size = Batching.Size<T>(batched);
            return Tensor<T>.Batch(FirstMax(Batching.Expand(batched[0], size), Batching.Expand(batched[1], size), axis + 1), 0, level, "GradientMask");
        }
        x.NoteValueRead("a gradient mask");
        max.NoteValueRead("a gradient mask");
        var shape = x.Shape;
        var mask = new T[shape.Size];
        MaxKernels.FirstMaxMask(x.Value.Span, max.Value.Span, shape.Product(0, axis), shape.Span[axis], shape.Product(axis + 1, shape.Rank), mask);
        return new Tensor<T>(new NdArray<T>(mask, shape));
    }

    private static Tensor<T> Build<T, TRule>(Tensor<T> x, TRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IMaskRule<T>
    {
        // While a step's VJP is recorded into a plan (x traced only by a planning level), the mask is an op of the plan,
        // computed from x on every replay, rather than a value read once; its derivative is zero, and a planning level
        // is never swept.
        // Under Vmap: the mask of the batch, batched the same way (elementwise, so the batch axis stays where it is).
        if (Batching.ForValues([x], out var batched) is { } level)
            return Tensor<T>.Batch(Build(batched[0].Value, rule), batched[0].Axis, level, "GradientMask");
        var live = x.Live;
        if (live.Node is { Level.IsPlanning: true } node && !live.Primal!.IsTraced)
        {
            var form = new MaskInto<T, TRule>(rule);
            return Tensor<T>.Record(new Tensor<T>(form.Apply(live.Value)), node.Level, "GradientMask", [live],
                (_, _) => Tensor.ZerosLike(live), step: new PlanStep<T>(values => form.Apply(values[0]), form, [null]));
        }
        x.NoteValueRead("a gradient mask");
        return new Tensor<T>(new MaskInto<T, TRule>(rule).Apply(x.Value));
    }

    /// <summary>A mask as a plan op: written into the plan's buffer.</summary>
    private sealed class MaskInto<T, TRule>(TRule rule) : IntoForm<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IMaskRule<T>
    {
        public NdArray<T> Apply(NdArray<T> x)
        {
            var mask = GC.AllocateUninitializedArray<T>(x.Size);
            ActivationKernels.Mask(x.Span, mask, rule);
            return new NdArray<T>(mask, x.Shape);
        }

        public override void Invoke(NdArray<T>[] inputs, Span<T> destination) => ActivationKernels.Mask(inputs[0].Span, destination, rule);
    }
}
