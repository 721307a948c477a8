using System.Numerics;

namespace Autograd.Rnn;

/// <summary>The options of a recurrent layer, as in PyTorch's <c>nn.RNN/LSTM/GRU</c>.</summary>
public sealed record RecurrentLayerOptions
{
    /// <summary>One layer, one direction, time-major input, zero initial state.</summary>
    public static RecurrentLayerOptions Default { get; } = new();

    /// <summary>Stacked layers: layer k &gt; 0 reads layer k − 1's outputs (PyTorch's <c>num_layers</c>).</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>Run a second cell from each sequence's end back to its start and concatenate both directions' outputs.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Input and output are [batch, time, features] instead of [time, batch, features].</summary>
    public bool BatchFirst { get; init; }

    /// <summary>The initial state is a parameter per layer and direction (<c>initial_state{part}_l{k}</c> [hidden]), learned with the rest.</summary>
    public bool LearnInitialState { get; init; }

    /// <summary>A copy with a different number of layers.</summary>
    public RecurrentLayerOptions WithNumLayers(int numLayers) => this with { NumLayers = numLayers };

    /// <summary>A copy with or without the backward direction.</summary>
    public RecurrentLayerOptions WithBidirectional(bool bidirectional) => this with { Bidirectional = bidirectional };

    /// <summary>A copy with batch-first or time-first layout.</summary>
    public RecurrentLayerOptions WithBatchFirst(bool batchFirst) => this with { BatchFirst = batchFirst };

    /// <summary>A copy with or without a learned initial state.</summary>
    public RecurrentLayerOptions WithLearnInitialState(bool learn) => this with { LearnInitialState = learn };
}

/// <summary>The output of a recurrent layer.</summary>
/// <param name="Output">The last layer's hidden states at every step: [time, batch, directions·hidden] ([batch, time, …] when batch-first), zero at padded steps.</param>
/// <param name="FinalStates">The final state of every layer and direction, in PyTorch's order (index layer·directions + direction).</param>
public sealed record RecurrentLayerResult<T>(Tensor<T> Output, IReadOnlyList<RecurrentState<T>> FinalStates)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's h_n: the final hidden states stacked, [layers·directions, batch, hidden].</summary>
    public Tensor<T> FinalHidden => Tensor.Stack(FinalStates.Select(s => s.Hidden).ToArray(), 0);

    /// <summary>
    /// The last layer's final hidden state, both directions side by side: [batch, directions·hidden] — what a
    /// many-to-one model (sequence classification) reads out from. For padded batches, each sequence's own last step.
    /// </summary>
    public Tensor<T> LastLayerHidden
    {
        get
        {
            int directions = FinalStates.Count == 1 ? 1 : Output.Shape[2] / FinalStates[^1].Hidden.Shape[1];
            var last = FinalStates.Skip(FinalStates.Count - directions).Select(s => s.Hidden).ToArray();
            return last.Length == 1 ? last[0] : Tensor.Concat(last, 1);
        }
    }

    /// <summary>PyTorch's c_n for an LSTM: the final cell states stacked, [layers·directions, batch, hidden].</summary>
    /// <exception cref="InvalidOperationException">The cell has no second state tensor.</exception>
    public Tensor<T> FinalCell => FinalStates[0].Count > 1
        ? Tensor.Stack(FinalStates.Select(s => s[1]).ToArray(), 0)
        : throw new InvalidOperationException("RecurrentLayerResult.FinalCell: this cell's state has no cell part (only LSTM-like cells have one).");
}

/// <summary>
/// A multi-layer, optionally bidirectional recurrent layer over any <see cref="Cell{T}"/>, with PyTorch's shapes,
/// options and parameter names: a cell parameter <c>weight_ih</c> of layer k is <c>weight_ih_l{k}</c>, and
/// <c>weight_ih_l{k}_reverse</c> in the backward direction.
/// </summary>
public sealed class RecurrentLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A layer running <paramref name="cell"/> with the given sizes and options.</summary>
    public RecurrentLayer(Cell<T> cell, int inputSize, int hiddenSize, RecurrentLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        Options = options ?? RecurrentLayerOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.NumLayers, "options.NumLayers");
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        // Built on first use, not here: a user cell without a declaration is asked once through its initialiser.
        declaration = new Lazy<LayerDeclaration<T>>(() => new LayerDeclaration<T>(this));
    }

    private readonly Lazy<LayerDeclaration<T>> declaration;

    /// <summary>The cell every layer and direction runs.</summary>
    public Cell<T> Cell { get; }

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Layers, directions, layout, initial state.</summary>
    public RecurrentLayerOptions Options { get; }

    private int Directions => Options.Bidirectional ? 2 : 1;

    /// <summary>All parameters, in PyTorch's <c>state_dict</c> order (layer by layer, forward then reverse).</summary>
    public Params<T> Initialize(ulong seed)
    {
        var result = Params<T>.Empty;
        for (int layer = 0; layer < Options.NumLayers; layer++)
            for (int direction = 0; direction < Directions; direction++)
            {
                string suffix = LayerDeclaration<T>.Suffix(layer, direction);
                int inputSize = layer == 0 ? InputSize : HiddenSize * Directions;
                ulong cellSeed = seed + 1000003UL * (ulong)(layer * 2 + direction);
                foreach (var (name, tensor) in Cell.Initialize(inputSize, HiddenSize, cellSeed))
                    result = result.Add(name + suffix, tensor);
                if (Options.LearnInitialState)
                    for (int part = 0; part < Cell.StateParts; part++)
                        result = result.Add($"initial_state{part}{suffix}", Tensor.Zeros<T>(HiddenSize));
            }
        return result;
    }

    /// <summary>Every parameter the layer takes, name and shape, in <see cref="Initialize"/>'s order.</summary>
    public IReadOnlyList<ParameterShape> ParameterShapes => declaration.Value.Parameters;

    /// <summary>
    /// Runs the layer. input [time, batch, InputSize] ([batch, time, InputSize] when batch-first); optional
    /// <paramref name="lengths"/> per batch element (1..time) for padded batches; optional initial states, one per layer and
    /// direction in PyTorch's order (zeros, or the learned ones, when absent), each part [batch, HiddenSize].
    /// </summary>
    /// <remarks>
    /// The layer runs with exactly the parameters it declares (<see cref="ParameterShapes"/>, what <see cref="Initialize"/>
    /// creates). A name ending in <c>_l{k}</c> or <c>_l{k}_reverse</c>, or starting with <c>initial_state</c>, belongs to the
    /// layer: it must be one of its own names, with its shape — so a missing bias, a <c>weight_ih_l1</c> in a one-layer model,
    /// a <c>_reverse</c> name in a unidirectional one or an <c>initial_state…</c> without <see cref="RecurrentLayerOptions.LearnInitialState"/>
    /// is an error. Any other name (<c>readout.weight</c>, <c>embedding.weight</c>, <c>input</c>) belongs to another
    /// module and is ignored, so a model's whole <see cref="Params{T}"/> can be passed. Another recurrent layer's
    /// parameters, even under a prefix (<c>decoder.weight_ih_l0</c>), end like this layer's names and are refused: pass
    /// <c>parameters.Select("encoder.")</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The input's shape, the lengths or the initial states do not fit (the message says how the input was read, with
    /// <see cref="RecurrentLayerOptions.BatchFirst"/>); or parameters are missing, unexpected or misshapen (one message
    /// lists them all, each with its expected and actual shape).
    /// </exception>
    public RecurrentLayerResult<T> Apply(Params<T> parameters, Tensor<T> input, int[]? lengths = null,
        IReadOnlyList<RecurrentState<T>>? initialStates = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3)
            throw new ArgumentException($"{Cell.Name} layer: input {input.Shape} must be 3-D, {Layout()} (BatchFirst = {(Options.BatchFirst ? "true" : "false")}).");
        if (input.Shape[2] != InputSize)
            throw new ArgumentException($"{Cell.Name} layer: {ReadAs(input)} has {input.Shape[2]} features; the layer expects {InputSize}.");
        var declared = declaration.Value;
        declared.Check(parameters);
        var sequence = Options.BatchFirst ? Tensor.Transpose(input, 0, 1) : input;
        int steps = sequence.Shape[0], batch = sequence.Shape[1];
        CheckLengths(lengths, input, steps, batch);
        CheckInitialStates(initialStates, input, batch);

        var finals = new List<RecurrentState<T>>();
        for (int layer = 0; layer < Options.NumLayers; layer++)
        {
            var outputs = new Tensor<T>[Directions];
            for (int direction = 0; direction < Directions; direction++)
            {
                var cellParameters = declared.CellParameters(parameters, layer, direction);
                var initial = initialStates?[layer * Directions + direction] ?? InitialState(parameters, LayerDeclaration<T>.Suffix(layer, direction), batch);
                var run = Recurrence.Scan(Cell, cellParameters, initial, sequence, lengths, reverse: direction == 1);
                outputs[direction] = run.Outputs;
                finals.Add(run.FinalState);
            }
            sequence = Directions == 1 ? outputs[0] : Tensor.Concat(outputs, 2);
        }
        var output = Options.BatchFirst ? Tensor.Transpose(sequence, 0, 1) : sequence;
        return new RecurrentLayerResult<T>(output, finals);
    }

    private string Layout() => Options.BatchFirst ? $"[batch, time, {InputSize}]" : $"[time, batch, {InputSize}]";

    // "input [5,3,8] read as [time, batch, features] (BatchFirst = false)": batch/time mix-ups show up here.
    private string ReadAs(Tensor<T> input) =>
        $"input {input.Shape} read as {(Options.BatchFirst ? "[batch, time, features]" : "[time, batch, features]")} (BatchFirst = {(Options.BatchFirst ? "true" : "false")})";

    private void CheckLengths(int[]? lengths, Tensor<T> input, int steps, int batch)
    {
        if (lengths is null) return;
        if (lengths.Length != batch)
            throw new ArgumentException($"{Cell.Name} layer: {lengths.Length} lengths for a batch of {batch}: {ReadAs(input)}.");
        for (int b = 0; b < lengths.Length; b++)
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentException($"{Cell.Name} layer: length {lengths[b]} of sequence {b} is outside 1..{steps}: {ReadAs(input)}.");
    }

    private void CheckInitialStates(IReadOnlyList<RecurrentState<T>>? initialStates, Tensor<T> input, int batch)
    {
        if (initialStates is null) return;
        if (initialStates.Count != Options.NumLayers * Directions)
            throw new ArgumentException($"{Cell.Name} layer: {initialStates.Count} initial states given; expected {Options.NumLayers * Directions} "
                + $"(layers × directions: NumLayers = {Options.NumLayers}, Bidirectional = {(Options.Bidirectional ? "true" : "false")}).");
        var expected = new Shape(batch, HiddenSize);
        List<string>? problems = null;
        bool batchDiffers = false;
        for (int i = 0; i < initialStates.Count; i++)
        {
            var state = initialStates[i];
            string where = $"of layer {i / Directions}{(i % Directions == 1 ? " (reverse)" : "")} (initialStates[{i}])";
            if (state is null || state.Count != Cell.StateParts)
            {
                (problems ??= []).Add($"initial state {where}: {state?.Count ?? 0} part(s); the {Cell.Name} cell carries {Cell.StateParts}");
                continue;
            }
            for (int part = 0; part < state.Count; part++)
                if (state[part].Shape != expected)
                {
                    (problems ??= []).Add($"initial state {PartName(part)} {where}: expected {expected}, got {state[part].Shape}");
                    batchDiffers |= state[part].Rank >= 1 && state[part].Shape[0] != batch;
                }
        }
        if (problems is null) return;
        throw new ArgumentException($"{Cell.Name} layer: initial states must be [batch, hidden] = {expected}:\n  "
            + string.Join("\n  ", problems) + (batchDiffers ? $"\nThe batch is {batch}: {ReadAs(input)}." : ""));
    }

    // PyTorch's names: h0, and c0 for an LSTM-like cell's second part.
    private string PartName(int part) => part == 0 ? "h0" : part == 1 && Cell.StateParts == 2 ? "c0" : $"part {part}";

    private RecurrentState<T> InitialState(Params<T> parameters, string suffix, int batch)
    {
        if (!Options.LearnInitialState) return Cell.ZeroState(batch, HiddenSize);
        var parts = new Tensor<T>[Cell.StateParts];
        for (int part = 0; part < parts.Length; part++)
            parts[part] = Tensor.BroadcastTo(parameters[$"initial_state{part}{suffix}"], new Shape(batch, HiddenSize));
        return RecurrentState<T>.Of(parts);
    }
}

/// <summary>Creates the built-in recurrent layers with PyTorch's signatures.</summary>
public static class RecurrentLayer
{
    /// <summary>PyTorch's <c>nn.RNN</c>: an Elman RNN layer (tanh or relu).</summary>
    public static RecurrentLayer<T> Rnn<T>(int inputSize, int hiddenSize, RecurrentLayerOptions? options = null,
        Nonlinearity nonlinearity = Nonlinearity.Tanh, CellInitialization? initialization = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Cells.Rnn<T>(nonlinearity, initialization), inputSize, hiddenSize, options);

    /// <summary>PyTorch's <c>nn.LSTM</c>.</summary>
    public static RecurrentLayer<T> Lstm<T>(int inputSize, int hiddenSize, RecurrentLayerOptions? options = null,
        CellInitialization? initialization = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Cells.Lstm<T>(initialization), inputSize, hiddenSize, options);

    /// <summary>PyTorch's <c>nn.GRU</c> (or, with <see cref="GruVariant.Cho"/>, the original Cho et al. form).</summary>
    public static RecurrentLayer<T> Gru<T>(int inputSize, int hiddenSize, RecurrentLayerOptions? options = null,
        GruVariant variant = GruVariant.PyTorch, CellInitialization? initialization = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Cells.Gru<T>(variant, initialization), inputSize, hiddenSize, options);
}
