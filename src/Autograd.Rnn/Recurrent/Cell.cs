using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Computes one time step: (parameters, state, input at this step) -> next state. The input is [batch, features],
/// or, for a cell with an <see cref="Cell{T}.InputProjection"/>, that projection's output at this step.
/// </summary>
public delegate RecurrentState<T> CellStep<T>(Params<T> parameters, RecurrentState<T> state, Tensor<T> input)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A recurrent cell: a step function plus what the sequence machinery needs to run it (how to create its parameters,
/// how many state tensors it carries). Everything built on cells — <c>Recurrence.Scan</c>,
/// <see cref="RecurrentLayer{T}"/> with its stacking, bidirectional runs and masks — treats built-in and user cells alike.
/// </summary>
public sealed class Cell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Defines a cell.
    /// </summary>
    /// <param name="name">For messages, e.g. <c>"LSTM"</c>.</param>
    /// <param name="step">The recurrence. Given the projected input when <paramref name="inputProjection"/> is set, else the raw input.</param>
    /// <param name="initialize">Creates the cell's parameters for (inputSize, hiddenSize, seed).</param>
    /// <param name="stateParts">How many tensors [batch, hidden] the state holds (1 for RNN and GRU, 2 for LSTM).</param>
    /// <param name="inputProjection">
    /// Optional: the part of the step that depends only on the input, x [rows, inputSize] -> [rows, k]. Sequence runs
    /// apply it to many time steps at once (one matrix product per block of steps instead of one per step).
    /// </param>
    /// <param name="parameterShapes">
    /// Optional: the names and shapes <paramref name="initialize"/> creates for (inputSize, hiddenSize), without creating
    /// tensors. When absent, <see cref="ParameterShapes"/> reads them off one call of <paramref name="initialize"/>.
    /// </param>
    public Cell(string name, CellStep<T> step, Func<int, int, ulong, Params<T>> initialize, int stateParts = 1,
        Func<Params<T>, Tensor<T>, Tensor<T>>? inputProjection = null,
        Func<int, int, IReadOnlyList<ParameterShape>>? parameterShapes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(initialize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateParts);
        Name = name;
        ProjectedStep = step;
        Initializer = initialize;
        StateParts = stateParts;
        InputProjection = inputProjection;
        DeclaredShapes = parameterShapes;
    }

    /// <summary>The cell's name, for messages.</summary>
    public string Name { get; }

    /// <summary>How many tensors the state holds.</summary>
    public int StateParts { get; }

    /// <summary>The input-only part of the step, applied to blocks of time steps at once; null when the cell has none.</summary>
    public Func<Params<T>, Tensor<T>, Tensor<T>>? InputProjection { get; }

    /// <summary>The recurrence on an already projected input (the raw input when there is no projection).</summary>
    public CellStep<T> ProjectedStep { get; }

    private Func<int, int, ulong, Params<T>> Initializer { get; }

    /// <summary>The cell's parameters for inputs of <paramref name="inputSize"/> features and a state of <paramref name="hiddenSize"/>.</summary>
    public Params<T> Initialize(int inputSize, int hiddenSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        return Initializer(inputSize, hiddenSize, seed);
    }

    /// <summary>
    /// The names and shapes of the parameters the cell takes for inputs of <paramref name="inputSize"/> features and a
    /// state of <paramref name="hiddenSize"/>, in <see cref="Initialize"/>'s order: what a <see cref="RecurrentLayer{T}"/>
    /// holds its parameters to. From the declaration given to the constructor, or else read off one call of the
    /// initialiser (seed 0) — for a cell built from functions, the initialiser is the declaration.
    /// </summary>
    public IReadOnlyList<ParameterShape> ParameterShapes(int inputSize, int hiddenSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        if (DeclaredShapes is not null) return DeclaredShapes(inputSize, hiddenSize);
        var created = Initializer(inputSize, hiddenSize, 0);
        var shapes = new ParameterShape[created.Count];
        int i = 0;
        foreach (var (name, tensor) in created) shapes[i++] = new ParameterShape(name, tensor.Shape);
        return shapes;
    }

    private Func<int, int, IReadOnlyList<ParameterShape>>? DeclaredShapes { get; }

    /// <summary>One step on a raw input x [batch, inputSize]: projection (if any), then the recurrence.</summary>
    public RecurrentState<T> Step(Params<T> parameters, RecurrentState<T> state, Tensor<T> input) =>
        ProjectedStep(parameters, state, InputProjection is null ? input : InputProjection(parameters, input));

    /// <summary>The all-zeros state: <see cref="StateParts"/> tensors [batch, hiddenSize].</summary>
    public RecurrentState<T> ZeroState(int batch, int hiddenSize)
    {
        var parts = new Tensor<T>[StateParts];
        for (int i = 0; i < parts.Length; i++) parts[i] = Tensor.Zeros<T>(batch, hiddenSize);
        return RecurrentState<T>.Of(parts);
    }

    /// <inheritdoc/>
    public override string ToString() => Name + " cell";
}

/// <summary>Builds cells from plain functions.</summary>
public static class Cell
{
    /// <summary>
    /// A cell whose state is one tensor h, from a function (parameters, h, x) -> h' — the shape a researcher writes a
    /// new cell in. <paramref name="initialize"/> creates its parameters for (inputSize, hiddenSize, seed).
    /// </summary>
    public static Cell<T> FromFunction<T>(string name, Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> step,
        Func<int, int, ulong, Params<T>> initialize) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(step);
        return new Cell<T>(name, new HiddenOnlyStep<T>(step).Step, initialize);
    }

    // The step over a one-part state. Its function is a readonly field, so Scan may keep the step's plans across calls
    // whenever the function itself captures nothing (a lambda closing over a variable would hide that).
    private sealed class HiddenOnlyStep<T>(Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Func<Params<T>, Tensor<T>, Tensor<T>, Tensor<T>> function = function;

        public RecurrentState<T> Step(Params<T> p, RecurrentState<T> state, Tensor<T> x) => RecurrentState<T>.Of(function(p, state.Hidden, x));
    }
}
