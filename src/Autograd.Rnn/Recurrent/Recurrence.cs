using System.Numerics;

namespace Autograd.Rnn;

/// <summary>The result of unrolling a cell over a sequence.</summary>
/// <param name="Outputs">The hidden state after every step, [time, batch, hidden], in time order (zeros at padded steps).</param>
/// <param name="FinalState">The state after each sequence's own last step.</param>
/// <param name="StepStates">The state after each step, in time order (padded steps repeat the previous state).</param>
public sealed record ScanResult<T>(Tensor<T> Outputs, RecurrentState<T> FinalState, IReadOnlyList<RecurrentState<T>> StepStates)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Runs cells over time. The unroll knows nothing about the cell: it projects all inputs at once when the cell has an
/// input projection, then applies the step once per time step, and masks padded steps of variable-length batches.
/// </summary>
public static class Recurrence
{
    /// <summary>
    /// Unrolls <paramref name="cell"/> over <paramref name="inputs"/> [time, batch, features] from <paramref name="initialState"/>.
    /// When nothing is traced (inference), the step is recorded on the first time step and replayed as a compiled plan for
    /// the others, with the same results bit for bit (see <see cref="Compile"/>; <see cref="Compile.Eagerly"/> turns this off);
    /// the masks of <paramref name="lengths"/> and the <paramref name="afterStep"/> hook run between replays.
    /// Under exactly one <see cref="Grad"/> call (training), the whole unroll is one op of that call (with lengths too: the
    /// op keeps the state at padded steps between replays): the step and its VJP are recorded once as plans, its values
    /// are the eager bits and its gradients agree with the eager ones up to the order of summation. With an
    /// <paramref name="afterStep"/> hook, each step is one planned op and the hook runs eagerly between them. Under nested
    /// calls (gradients of gradients) everything runs eagerly.
    /// With <paramref name="lengths"/> (one per batch element, each 1..time), steps at or beyond a sequence's length
    /// leave its state unchanged and receive no gradient, and its output there is zero; whatever the inputs hold there
    /// (NaN and ∞ included) reaches no value and no gradient. With <paramref name="reverse"/>,
    /// each sequence is read from its own last step back to its first (the backward direction of a bidirectional
    /// layer); outputs stay in time order.
    /// </summary>
    /// <param name="cell">The cell to run.</param>
    /// <param name="parameters">The cell's parameters.</param>
    /// <param name="initialState">The state before the first step, each part [batch, hidden].</param>
    /// <param name="inputs">[time, batch, features].</param>
    /// <param name="lengths">Optional sequence lengths, one per batch element, each 1..time.</param>
    /// <param name="reverse">Read each sequence from its last step back to its first.</param>
    /// <param name="afterStep">
    /// Optional hook (time index t, state after step t) -> state, applied to every step's state after masking and
    /// before the step's output is taken and the state is passed on; it must keep the state's structure and shapes.
    /// For example, adding a zero-valued leaf ε_t to h_t makes ∂loss/∂ε_t = ∂loss/∂h_t (see <c>GradientProbe</c>).
    /// </param>
    /// <exception cref="ArgumentException">Inputs are not 3-D or have no time steps; lengths do not fit the batch or
    /// are outside 1..time; a state part is not [batch, hidden] (batch from the inputs, hidden from part 0).</exception>
    public static ScanResult<T> Scan<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState, Tensor<T> inputs,
        int[]? lengths = null, bool reverse = false, Func<int, RecurrentState<T>, RecurrentState<T>>? afterStep = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(inputs);
        var (steps, batch) = Validate(cell, initialState, inputs, lengths);
        if (lengths is not null && !AllValid(lengths, steps - 1)) inputs = WithoutPadding(inputs, lengths);

        var stepBlocks = ProjectInputs(cell, parameters, inputs);
        if (afterStep is null && PlanTraining(cell, parameters, initialState, stepBlocks, steps, lengths, reverse) is { } planned)
            return planned;
        var stepInputs = StepsOf(stepBlocks);

        var outputs = new Tensor<T>[steps];
        var states = new RecurrentState<T>[steps];
        var state = initialState;
        var step = StepPlan<T>.For(cell, parameters);
        // With a hook, training can still plan each step (one op per step); the hook and the masks run between them.
        var plannedStep = afterStep is null ? null : PlannedStep<T>.For(cell, parameters);
        for (int i = 0; i < steps; i++)
        {
            int t = reverse ? steps - 1 - i : i;
            var next = plannedStep?.Step(state, stepInputs[t]) ?? step.Step(state, stepInputs[t]);
            if (next.Count != state.Count)
                throw new InvalidOperationException($"Scan: the {cell.Name} cell returned {next.Count} state tensors, expected {state.Count}.");
            Tensor<T>? outputMask = null;
            if (lengths is not null && !AllValid(lengths, t))
            {
                outputMask = StepMask<T>(lengths, t);
                var mask = outputMask;
                next = state.Zip(next, (old, updated) => Tensor.Where(mask, updated, old));
            }
            if (afterStep is not null)
            {
                next = afterStep(t, next) ?? throw new InvalidOperationException($"Scan: the afterStep hook returned null at step {t}.");
                if (next.Count != state.Count)
                    throw new InvalidOperationException($"Scan: the afterStep hook returned {next.Count} state tensors at step {t}, expected {state.Count}.");
            }
            outputs[t] = outputMask is null ? next.Hidden : Tensor.Where(outputMask, next.Hidden, Tensor.Scalar(T.Zero));
            states[t] = next;
            state = next;
        }
        return new ScanResult<T>(Tensor.Stack(outputs, 0), state, states);
    }

    /// <summary>
    /// The unroll as one planned op under one Grad level (see <see cref="PlannedUnroll"/>), or null. With lengths, the op
    /// keeps the state at padded steps itself, and the outputs there are zeroed by one Where over all steps.
    /// </summary>
    private static ScanResult<T>? PlanTraining<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState, Tensor<T>[] stepBlocks,
        int steps, int[]? lengths, bool reverse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lengths is null || AllValid(lengths, steps - 1)) return PlannedUnroll.TryScan(cell, parameters, initialState, stepBlocks, reverse);
        var masks = new Tensor<T>?[steps];
        for (int t = 0; t < steps; t++) masks[t] = AllValid(lengths, t) ? null : StepMask<T>(lengths, t);
        if (PlannedUnroll.TryScan(cell, parameters, initialState, stepBlocks, reverse, new UnrollMasks<T>(masks)) is not { } planned) return null;
        return planned with { Outputs = Tensor.Where(ValidSteps<T>(lengths, steps), planned.Outputs, Tensor.Scalar(T.Zero)) };
    }

    /// <summary>
    /// Unrolls a cell written as a plain function (parameters, h, x_t) -> h' over <paramref name="inputs"/>
    /// [time, batch, features] from <paramref name="initialHidden"/> [batch, hidden].
    /// </summary>
    public static ScanResult<T> Scan<T>(Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> cell, Params<T> parameters,
        Tensor<T> initialHidden, Tensor<T> inputs, int[]? lengths = null, bool reverse = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        var wrapped = new Cell<T>("custom", (p, state, x) => RecurrentState<T>.Of(cell(p, state.Hidden, x)),
            (_, _, _) => throw new InvalidOperationException("Scan: a cell given as a function has no initialiser; create its parameters yourself."));
        return Scan(wrapped, parameters, RecurrentState<T>.Of(initialHidden), inputs, lengths, reverse);
    }

    /// <summary>
    /// At most this many elements per block of projected steps (1 MB of float): arrays of 4 MB and more go to the
    /// large-object heap, where, allocated every training step, each can cost a full (gen-2) collection.
    /// </summary>
    private const int ProjectionBlockElements = 1 << 18;

    /// <summary>
    /// The input-only part of every step, as matrix products over blocks of consecutive steps
    /// ([steps·batch, features] each) instead of one per step: blocks [steps in block, batch, k] in time order (the inputs
    /// themselves when the cell has no input projection).
    /// </summary>
    private static Tensor<T>[] ProjectInputs<T>(Cell<T> cell, Params<T> parameters, Tensor<T> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cell.InputProjection is null) return [inputs];
        var project = PlannedProjections<T>.For(cell);
        int steps = inputs.Shape[0], batch = inputs.Shape[1], features = inputs.Shape[2];
        var result = new List<Tensor<T>>();
        // In training, the projected blocks live in the level's scratch when nothing else can read them.
        var scratch = PlannedProjections<T>.ScratchFor(cell, parameters, inputs);
        var previous = scratch is null ? null : ValueArena.Lend(scratch);
        try
        {
            int blockSteps = 1; // the first block is one step, which tells the projection's width
            for (int start = 0; start < steps;)
            {
                int count = Math.Min(blockSteps, steps - start);
                var block = Tensor.Narrow(inputs, 0, start, count).Reshape(count * batch, features);
                var projected = project(parameters, block);
                result.Add(projected.Reshape(count, batch, -1));
                // Blocks bound the size of arrays allocated on every call; buffers from the level's scratch are not, so
                // there the rest of the sequence is one block (one product, one cotangent, two arrays in the pool).
                blockSteps = scratch is not null ? steps : Math.Max(1, ProjectionBlockElements / Math.Max(1, projected.Size / count));
                start += count;
            }
        }
        finally
        {
            if (scratch is not null) ValueArena.Lend(previous);
        }
        return [.. result];
    }

    /// <summary>The steps of the blocks, in time order (views, not copies).</summary>
    private static Tensor<T>[] StepsOf<T>(Tensor<T>[] blocks) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (blocks.Length == 1) return Tensor.Unstack(blocks[0], 0);
        var steps = new List<Tensor<T>>();
        foreach (var block in blocks) steps.AddRange(Tensor.Unstack(block, 0));
        return [.. steps];
    }

    private static (int Steps, int Batch) Validate<T>(Cell<T> cell, RecurrentState<T> initialState, Tensor<T> inputs, int[]? lengths)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputs.Rank != 3)
            throw new ArgumentException($"Scan: inputs {inputs.Shape} must be [time, batch, features].");
        int steps = inputs.Shape[0], batch = inputs.Shape[1];
        if (steps == 0) throw new ArgumentException($"Scan: inputs {inputs.Shape} hold an empty sequence (no time steps).");
        if (initialState.Count != cell.StateParts)
            throw new ArgumentException($"Scan: the {cell.Name} cell carries {cell.StateParts} state tensors; the initial state has {initialState.Count}.");
        // Every part is [batch, hidden]; the hidden size is read from part 0 (the cell's parameters are its own business).
        var hidden = initialState.Hidden;
        if (hidden.Rank != 2 || hidden.Shape[0] != batch)
            throw new ArgumentException($"Scan: initial state {hidden.Shape} (part 0, h) does not match the batch of inputs {inputs.Shape}; "
                + $"expected [{batch}, hidden].");
        var expected = new Shape(batch, hidden.Shape[1]);
        for (int i = 1; i < initialState.Count; i++)
            if (initialState[i].Shape != expected)
                throw new ArgumentException($"Scan: initial state part {i} {initialState[i].Shape} does not fit inputs {inputs.Shape}: "
                    + $"expected {expected} ([batch, hidden], hidden {hidden.Shape[1]} from part 0).");
        if (lengths is not null)
        {
            if (lengths.Length != batch)
                throw new ArgumentException($"Scan: {lengths.Length} lengths for a batch of {batch} (inputs {inputs.Shape}).");
            for (int b = 0; b < lengths.Length; b++)
                if (lengths[b] < 1 || lengths[b] > steps)
                    throw new ArgumentException(lengths[b] == 0
                        ? $"Scan: sequence {b} of the batch is empty (length 0)."
                        : $"Scan: length {lengths[b]} of sequence {b} is outside 1..{steps} (inputs {inputs.Shape}).");
        }
        return (steps, batch);
    }

    private static bool AllValid(int[] lengths, int t)
    {
        foreach (int length in lengths) if (t >= length) return false;
        return true;
    }

    /// <summary>
    /// The inputs with every padded step replaced by zeros (selected, not multiplied, so a NaN or ∞ there goes too).
    /// The cell still runs on padded rows, and the masks after each step drop what it computes there; but the backward
    /// pass multiplies the zero cotangents those rows get by the cell's local derivatives at them, and 0·NaN = NaN:
    /// one non-finite padding value used to make every weight's gradient NaN.
    /// </summary>
    private static Tensor<T> WithoutPadding<T>(Tensor<T> inputs, int[] lengths) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.Where(ValidSteps<T>(lengths, inputs.Shape[0]), inputs, Tensor.Scalar(T.Zero));

    // [time, batch, 1]: 1 where step t is inside sequence b, 0 where it is padding.
    private static Tensor<T> ValidSteps<T>(int[] lengths, int steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = lengths.Length;
        var valid = new T[steps * batch];
        for (int t = 0; t < steps; t++)
            for (int b = 0; b < batch; b++)
                valid[t * batch + b] = t < lengths[b] ? T.One : T.Zero;
        return Tensor.FromArray(valid, steps, batch, 1);
    }

    // [batch, 1]: 1 where step t is inside the sequence, 0 where it is padding. A constant: masks carry no gradient.
    private static Tensor<T> StepMask<T>(int[] lengths, int t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mask = new T[lengths.Length];
        for (int b = 0; b < mask.Length; b++) mask[b] = t < lengths[b] ? T.One : T.Zero;
        return Tensor.FromArray(mask, lengths.Length, 1);
    }
}
