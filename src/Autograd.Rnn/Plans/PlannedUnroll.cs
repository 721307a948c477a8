using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Training with plans: <c>Recurrence.Scan</c> under exactly one live <see cref="Grad"/> level runs the whole unroll as one
/// op recorded at that level. Its forward replays the step's forward plan (<see cref="StepVjpPlan{T}"/>) for every step,
/// keeping per step the values the step's VJP reads; its VJP replays the backward plan for the steps in reverse,
/// summing the parameters' cotangents and carrying the state's, and returns the cotangents of the parameters, the
/// initial state and every step's input. The unroll's states are slices of one [parts·time, batch, hidden] result
/// (part-major, so the outputs are one contiguous slice). With lengths, the unroll applies the masks between replays
/// (<see cref="UnrollMasks{T}"/>: padded steps keep the state, and their cotangents go past the step); the caller zeroes
/// the outputs at padded steps.
/// </summary>
/// <remarks>
/// Used only when the traced tensors among the parameters, the initial state and the step inputs are traced at one
/// reverse level (not a planning or forward-mode one), that level is the only one running on the thread, and the values
/// under it are constants: this op's VJP runs
/// kernels, so it is not differentiable again, and with any enclosing level (gradients of gradients, HVPs) Scan stays
/// eager, where every op is recorded and nesting works as always. An afterStep hook runs between steps, so the unroll
/// cannot be one op: each step is then one planned op (<see cref="PlannedStep{T}"/>). Otherwise (a step that cannot be
/// planned, <see cref="Compile.Eagerly"/>, anomaly detection) Scan runs eagerly too.
/// </remarks>
internal static class PlannedUnroll
{
    /// <summary>The unroll as one planned op, or null when it must run eagerly (see <see cref="PlannedUnroll"/>).</summary>
    public static ScanResult<T>? TryScan<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState, Tensor<T>[] stepInputs,
        bool reverse, UnrollMasks<T>? masks = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!PlanRecorder.Enabled || Grad.Running != 1) return null;
        var parameterTensors = parameters.Tensors();
        int parameterCount = parameterTensors.Length, parts = initialState.Count, steps = stepInputs.Length;
        // Everything the unroll reads, at its live levels: parameters, initial state parts, step inputs.
        var inputs = new Tensor<T>[parameterCount + parts + steps];
        for (int i = 0; i < parameterCount; i++) inputs[i] = parameterTensors[i].Live;
        for (int p = 0; p < parts; p++) inputs[parameterCount + p] = initialState[p].Live;
        for (int t = 0; t < steps; t++) inputs[parameterCount + parts + t] = stepInputs[t].Live;
        Level? level = null;
        foreach (var input in inputs)
        {
            if (input.Node is null) continue;
            if (level is null) level = input.Node.Level;
            else if (input.Node.Level != level) return null;
            if (input.Primal!.IsTraced) return null;
        }
        // A forward level records no graph for a VJP to hang on: its tangents must be carried op by op, eagerly.
        if (level is null || level.IsPlanning || level.IsForward || level.IsBatching) return null;

        var primals = Array.ConvertAll(inputs, input => input.PrimalAt(level.Id));
        var first = reverse ? steps - 1 : 0;
        var arguments = new Tensor<T>[parameterCount + parts + 1];
        Array.Copy(primals, arguments, parameterCount + parts);
        arguments[^1] = primals[parameterCount + parts + first];
        var plan = StepVjpPlan<T>.Record(cell, parameters.WithTensors(primals[..parameterCount]), arguments, out _);
        if (plan is null) return null;
        for (int t = 0; t < steps; t++)
            if (!primals[parameterCount + parts + t].Shape.Equals(arguments[^1].Shape)) return null;

        var unroll = new Unroll<T>(plan, primals, parameterCount, parts, steps, reverse, masks);
        var packed = unroll.RunForward();
        var traced = new Tensor<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int stepInput = Math.Min(i, parameterCount + parts);
            if (inputs[i].Node is not null && plan.Reached[stepInput]) traced[i] = inputs[i];
        }
        var result = Tensor<T>.Record(packed, level, "Scan (planned)", traced, unroll.Vjp);

        // Part-major: [part p, step t] is row p·steps + t.
        int batch = initialState.Hidden.Shape[0], hidden = initialState.Hidden.Shape[1];
        var outputs = Tensor.Narrow(result, 0, 0, steps).Reshape(steps, batch, hidden);
        var pieces = Tensor.Unstack(result, 0);
        var states = new RecurrentState<T>[steps];
        for (int t = 0; t < steps; t++)
        {
            var state = new Tensor<T>[parts];
            for (int p = 0; p < parts; p++) state[p] = pieces[p * steps + t];
            states[t] = RecurrentState<T>.Of(state);
        }
        return new ScanResult<T>(outputs, states[reverse ? 0 : steps - 1], states);
    }

    /// <summary>One call's unroll: the forward run and the values kept for its VJP.</summary>
    private sealed class Unroll<T>(StepVjpPlan<T> plan, Tensor<T>[] primals, int parameterCount, int parts, int steps, bool reverse,
        UnrollMasks<T>? masks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Per step (in time order): the state before it and the values its VJP reads, released as the VJP passes them.
        private readonly Tensor<T>[]?[] before = new Tensor<T>[steps][];
        private readonly Tensor<T>[]?[] saved = new Tensor<T>[steps][];
        private Tensor<T>? lastCotangent;
        private Tensor<T>[]? cotangents;

        private int StepAt(int i) => reverse ? steps - 1 - i : i;

        public Tensor<T> RunForward()
        {
            var hiddenShape = primals[parameterCount].Shape;
            int size = hiddenShape.Size;
            var packed = GC.AllocateUninitializedArray<T>(parts * steps * size);
            var arguments = new Tensor<T>[parameterCount + parts + 1];
            Array.Copy(primals, arguments, parameterCount + parts);
            for (int i = 0; i < steps; i++)
            {
                int t = StepAt(i);
                arguments[^1] = primals[parameterCount + parts + t];
                before[t] = arguments[parameterCount..^1];
                var results = plan.Forward.Run(arguments);
                saved[t] = results[parts..];
                masks?.KeepPadded(t, results, arguments.AsSpan(parameterCount, parts));
                for (int p = 0; p < parts; p++)
                {
                    results[p].Value.Span.CopyTo(packed.AsSpan((p * steps + t) * size, size));
                    arguments[parameterCount + p] = results[p];
                }
            }
            return new Tensor<T>(new NdArray<T>(packed, new Shape(parts * steps, hiddenShape[0], hiddenShape[1])));
        }

        /// <summary>
        /// The sweep computes every input's cotangent at once on the first call for a given output cotangent; the
        /// backward pass then asks for them input by input.
        /// </summary>
        public Tensor<T> Vjp(Tensor<T> g, int inputIndex)
        {
            if (!ReferenceEquals(g, lastCotangent))
            {
                if (g.IsTraced)
                    throw new InvalidOperationException("Scan: the planned unroll's VJP was asked for a traced cotangent; it is not differentiable again.");
                cotangents = Sweep(g);
                lastCotangent = g;
            }
            return cotangents![inputIndex];
        }

        private Tensor<T>[] Sweep(Tensor<T> g)
        {
            int size = primals[parameterCount].Size;
            var stateShape = primals[parameterCount].Shape;
            var result = new Tensor<T>[primals.Length];
            var parameterSums = new T[]?[parameterCount];
            var carry = new Tensor<T>?[parts];
            var next = new Tensor<T>[parts];
            var arguments = new Tensor<T>[parameterCount + parts + 1 + plan.SavedCount + parts];
            Array.Copy(primals, arguments, parameterCount);
            for (int i = steps - 1; i >= 0; i--)
            {
                int t = StepAt(i);
                before[t]!.CopyTo(arguments, parameterCount);
                arguments[parameterCount + parts] = primals[parameterCount + parts + t];
                saved[t]!.CopyTo(arguments, parameterCount + parts + 1);
                for (int p = 0; p < parts; p++)
                {
                    var seed = new Tensor<T>(g.Value.View((p * steps + t) * size, stateShape));
                    next[p] = carry[p] is { } carried ? seed + carried : seed;
                    arguments[^(parts - p)] = masks is null ? next[p] : masks.IntoStep(t, next[p]);
                }
                var step = plan.Backward.Run(arguments);
                for (int k = 0; k < parameterCount; k++)
                {
                    if (!plan.Reached[k]) continue;
                    var sum = parameterSums[k];
                    if (sum is null) parameterSums[k] = step[k].Value.ToArray();
                    else System.Numerics.Tensors.TensorPrimitives.Add(sum, step[k].Value.Span, sum);
                }
                for (int p = 0; p < parts; p++) carry[p] = masks is null ? step[parameterCount + p] : masks.PastStep(t, next[p], step[parameterCount + p]);
                result[parameterCount + parts + t] = step[parameterCount + parts];
            }
            for (int k = 0; k < parameterCount; k++)
                result[k] = parameterSums[k] is { } sum ? new Tensor<T>(new NdArray<T>(sum, primals[k].Shape)) : Tensor.ZerosLike(primals[k]);
            for (int p = 0; p < parts; p++) result[parameterCount + p] = carry[p] ?? Tensor.ZerosLike(primals[parameterCount + p]);
            return result;
        }
    }
}
