using System.Numerics;

namespace Autograd.Rnn;

// Batching: the input becomes a batched tensor at a new batching level — it has the shape of one example and stands for
// the whole batch, held one level down — and every op the function calls runs once on the batch through its batching
// rule (Trace). The function is written for one example and runs for all of them in one pass. The rules are public ops on
// the batches, so the result is traced at any enclosing level (Grad of Vmap), and a Grad or Jvp inside the function
// (Vmap of Grad: per-example gradients) differentiates batched tensors like any others; levels keep the batch axes of
// different Vmap calls apart exactly as they keep perturbations apart.
public static partial class Grad
{
    /// <summary>
    /// Maps <paramref name="function"/>, written for one example, over a batch in one pass: the result's slice i along
    /// <paramref name="outAxis"/> is function(slice i of <paramref name="inputs"/> along <paramref name="inAxis"/>), e.g.
    /// inputs [batch, features] with function [features] -> [classes] gives [batch, classes]. Inside the function the
    /// tensor has one example's shape; tensors it captures are the same for every example. It may call
    /// <see cref="Grad"/> transforms (per-example gradients) and be called inside them.
    /// </summary>
    /// <param name="function">Any tensor-valued function of one example; it must not read values (Item, ToArray).</param>
    /// <param name="inputs">The batch; may be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <param name="inAxis">The batch axis of <paramref name="inputs"/> (negative counts from the end).</param>
    /// <param name="outAxis">Where the batch axis goes in the result, from −(rank+1) to rank of one result.</param>
    /// <exception cref="ArgumentException">The inputs are a scalar or hold no example, or the function returned null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="InvalidOperationException">The function reads the values of a batched tensor.</exception>
    public static Tensor<T> Vmap<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> inputs, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        return Mapped(examples => [function(examples[0])], [inputs], inAxis, outAxis)[0];
    }

    /// <summary>
    /// <see cref="Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/> over two batches of the same size, both
    /// batched along <paramref name="inAxis"/> (an example and its target, say).
    /// </summary>
    /// <exception cref="ArgumentException">The batches hold different numbers of examples.</exception>
    public static Tensor<T> Vmap<T>(Func<Tensor<T>, Tensor<T>, Tensor<T>> function, Tensor<T> first, Tensor<T> second, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        return Mapped(examples => [function(examples[0], examples[1])], [first, second], inAxis, outAxis)[0];
    }

    /// <summary>
    /// <see cref="Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/> for a function returning parameters (a gradient):
    /// each returned tensor gets the batch axis at <paramref name="outAxis"/>. Per-example gradients:
    /// <c>Grad.VmapParams(x =&gt; Grad.Gradient(p =&gt; Loss(p, x), parameters), inputs)</c>, each gradient [batch, …shape].
    /// </summary>
    public static Params<T> VmapParams<T>(Func<Tensor<T>, Params<T>> function, Tensor<T> inputs, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Params<T>? shape = null;
        var tensors = Mapped(examples => (shape = function(examples[0]) ?? throw new ArgumentException("Grad.VmapParams: the function returned null.", nameof(function))).Tensors(),
            [inputs], inAxis, outAxis);
        return shape!.WithTensors(tensors);
    }

    /// <summary><see cref="VmapParams{T}(Func{Tensor{T}, Params{T}}, Tensor{T}, int, int)"/> over two batches of the same size.</summary>
    /// <exception cref="ArgumentException">The batches hold different numbers of examples.</exception>
    public static Params<T> VmapParams<T>(Func<Tensor<T>, Tensor<T>, Params<T>> function, Tensor<T> first, Tensor<T> second, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Params<T>? shape = null;
        var tensors = Mapped(examples => (shape = function(examples[0], examples[1]) ?? throw new ArgumentException("Grad.VmapParams: the function returned null.", nameof(function))).Tensors(),
            [first, second], inAxis, outAxis);
        return shape!.WithTensors(tensors);
    }

    /// <summary>
    /// The gradient of <paramref name="loss"/> for every example separately, in one batched pass:
    /// result[name] [batch, …shape of parameter name], slice i the gradient of loss(parameters, inputs[i], targets[i]).
    /// The same as <c>Grad.VmapParams((x, y) =&gt; Grad.Gradient(p =&gt; loss(p, x, y), parameters), inputs, targets)</c>.
    /// </summary>
    /// <param name="loss">A scalar loss of the parameters and one example (input and target, without the batch axis).</param>
    /// <param name="parameters">Where to differentiate; the same for every example.</param>
    /// <param name="inputs">The examples' inputs, batched along axis 0.</param>
    /// <param name="targets">The examples' targets, batched along axis 0.</param>
    public static Params<T> PerExampleGradients<T>(Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> loss, Params<T> parameters, Tensor<T> inputs, Tensor<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        return VmapParams((x, y) => Gradient(p => loss(p, x, y), parameters), inputs, targets);
    }

    /// <summary><see cref="Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/> with the batch first (the form F# infers without annotations).</summary>
    public static Tensor<T> Vmap<T>(Tensor<T> inputs, Func<Tensor<T>, Tensor<T>> function, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T> => Vmap(function, inputs, inAxis, outAxis);

    /// <summary><see cref="VmapParams{T}(Func{Tensor{T}, Params{T}}, Tensor{T}, int, int)"/> with the batch first (the form F# infers without annotations).</summary>
    public static Params<T> VmapParams<T>(Tensor<T> inputs, Func<Tensor<T>, Params<T>> function, int inAxis = 0, int outAxis = 0)
        where T : unmanaged, IFloatingPointIeee754<T> => VmapParams(function, inputs, inAxis, outAxis);

    private static Tensor<T>[] Mapped<T>(Func<Tensor<T>[], Tensor<T>[]> function, Tensor<T>[] inputs, int inAxis, int outAxis)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var batches = new Tensor<T>[inputs.Length];
        var axes = new int[inputs.Length];
        int size = -1;
        for (int i = 0; i < inputs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], "inputs");
            batches[i] = inputs[i].Live;
            if (batches[i].Rank == 0) throw new ArgumentException("Grad.Vmap: a scalar has no batch axis to map over.", "inputs");
            axes[i] = batches[i].Shape.NormalizeAxis(inAxis, "Grad.Vmap");
            int examples = batches[i].Shape.Span[axes[i]];
            if (examples == 0) throw new ArgumentException($"Grad.Vmap: the inputs {batches[i].Shape} hold no example along axis {axes[i]}.", "inputs");
            if (size >= 0 && examples != size)
                throw new ArgumentException($"Grad.Vmap: the batches hold {size} and {examples} examples; they must hold the same number.", "inputs");
            size = examples;
        }
        var level = NewLevel(batching: true);
        try
        {
            var examplesIn = new Tensor<T>[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) examplesIn[i] = Tensor<T>.Batch(batches[i], axes[i], level, "input");
            var outputs = function(examplesIn) ?? throw new ArgumentException("Grad.Vmap: the function returned null.", nameof(function));
            var results = new Tensor<T>[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
                results[i] = Unbatched(outputs[i] ?? throw new ArgumentException("Grad.Vmap: the function returned null.", nameof(function)),
                    level, size, outAxis);
            return results;
        }
        finally
        {
            End(level);
        }
    }

    // The output's batch with its batch axis at outAxis; an output that is the same for every example is repeated.
    private static Tensor<T> Unbatched<T>(Tensor<T> output, Level level, int size, int outAxis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var live = output.Live;
        int rank = live.Rank;
        int axis = outAxis < 0 ? outAxis + rank + 1 : outAxis;
        if (axis < 0 || axis > rank)
            throw new ArgumentOutOfRangeException(nameof(outAxis), $"Grad.Vmap: outAxis {outAxis} is out of range for results of shape {live.Shape} (rank {rank} + the batch axis).");
        if (live.Tag == level.Id) return Batching.Move(live.Primal!, live.Node!.BatchAxis, axis);
        var one = live.Shape.Inserting(axis, 1);
        return BroadcastToOp.Apply(ReshapeOp.Apply(live, one), one.WithDimension(axis, size));
    }
}
