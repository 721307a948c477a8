using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Shared plumbing of the optimizers: checking that parameters, gradients and state slots agree, and turning a
/// state into one named collection (<c>{slot}.{parameter}</c> tensors plus a <c>step</c> scalar) and back.
/// </summary>
internal static class OptimizerSlots
{
    /// <summary>The name of the rank-0 tensor holding the step count in a state's <c>ToParams()</c>.</summary>
    public const string StepName = "step";

    /// <summary>
    /// Throws unless <paramref name="gradients"/> has exactly the parameters' names and shapes, and unless every
    /// gradient and every parameter is finite.
    /// </summary>
    public static void RequireGradients<T>(Params<T> parameters, Params<T> gradients, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        parameters.RequireSameNames(gradients, operation + " (parameters and gradients)");
        foreach (var (name, parameter) in parameters)
            if (gradients[name].Shape != parameter.Shape)
                throw new ArgumentException($"{operation}: the gradient of '{name}' has shape {gradients[name].Shape}, the parameter {parameter.Shape}.");
        RequireFinite(gradients, operation);
        RequireFiniteParameters(parameters, operation);
    }

    /// <summary>
    /// Throws at the first NaN or infinity in a gradient, naming the parameter, the index and the value: once one
    /// reaches an update it spreads to every parameter and to the optimizer state, silently.
    /// </summary>
    public static void RequireFinite<T>(Params<T> gradients, string operation) where T : unmanaged, IFloatingPointIeee754<T> =>
        RequireFinite(gradients, nameof(gradients), operation, "the gradient of",
            "A NaN or infinite gradient would corrupt the parameters and the optimizer state; look for its source in the " +
            "loss (e.g. the log of 0) or the inputs.");

    /// <summary>
    /// Throws at the first NaN or infinity in a parameter, naming it, the index and the value: an optimizer would carry
    /// it into its state and report nothing. One vectorised pass per parameter (see <see cref="NdArray{T}.FirstNonFinite"/>).
    /// </summary>
    public static void RequireFiniteParameters<T>(Params<T> parameters, string operation) where T : unmanaged, IFloatingPointIeee754<T> =>
        RequireFinite(parameters, nameof(parameters), operation, "parameter",
            "Expected finite parameters; a NaN or infinite parameter usually comes from an earlier step or from loading a checkpoint.");

    private static void RequireFinite<T>(Params<T> tensors, string argument, string operation, string what, string advice)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, tensor) in tensors)
        {
            int at = tensor.Value.FirstNonFinite();
            if (at >= 0)
                throw new ArgumentException(
                    $"{operation}: {what} '{name}' is {tensor.Value.Span[at]} at {tensor.Value.FormatIndex(at)}. {advice}",
                    argument);
        }
    }

    /// <summary>
    /// Throws unless every tensor of the slot belongs to a parameter of the same shape. A slot may lack parameters
    /// (a buffer PyTorch creates lazily, such as SGD's momentum buffer before the first step).
    /// </summary>
    public static void RequireSlot<T>(Params<T> parameters, Params<T> slot, string slotName, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(slot);
        foreach (var (name, tensor) in slot)
        {
            if (!parameters.Contains(name))
                throw new ArgumentException($"{operation}: the state's {slotName} has a tensor '{name}' for which there is no parameter. Parameters: {string.Join(", ", parameters.Names)}.");
            if (tensor.Shape != parameters[name].Shape)
                throw new ArgumentException($"{operation}: the state's {slotName} '{name}' has shape {tensor.Shape}, the parameter {parameters[name].Shape}.");
        }
    }

    /// <summary>Throws unless the slot holds a tensor for every parameter (with the right shape).</summary>
    public static void RequireFullSlot<T>(Params<T> parameters, Params<T> slot, string slotName, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSlot(parameters, slot, slotName, operation);
        if (slot.Count != parameters.Count)
            throw new ArgumentException(
                $"{operation}: the state's {slotName} lacks parameters [{string.Join(", ", parameters.Names.Where(n => !slot.Contains(n)))}]; " +
                "was the state initialised for other parameters?");
    }

    /// <summary>Zeros shaped like each parameter.</summary>
    public static Params<T> ZerosLike<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Map(p => Tensor.ZerosLike(p));
    }

    /// <summary>The step count as a rank-0 tensor; refused when <typeparamref name="T"/> cannot hold it exactly.</summary>
    public static Tensor<T> StepTensor<T>(long step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = T.CreateChecked(step);
        if (long.CreateChecked(value) != step)
            throw new InvalidOperationException($"ToParams: the step count {step} is not exactly representable as {typeof(T).Name}.");
        return Tensor.Scalar(value);
    }

    /// <summary>
    /// Joins slots into one collection (<c>{slot}.{parameter}</c>, slots in the order given, then <c>step</c>).
    /// </summary>
    public static Params<T> Join<T>(long step, params (string Slot, Params<T> Tensors)[] slots) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Params<T>.Empty;
        foreach (var (slot, tensors) in slots) result = result.Concat(tensors.WithPrefix(slot + "."));
        return result.Add(StepName, StepTensor<T>(step));
    }

    /// <summary>
    /// Splits a collection made by <see cref="Join{T}"/> back into its step count and its slots; refuses names
    /// that belong to none of <paramref name="slotNames"/>.
    /// </summary>
    public static (long Step, Params<T>[] Slots) Split<T>(Params<T> tensors, string operation, params string[] slotNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (!tensors.Contains(StepName))
            throw new ArgumentException($"{operation}: no '{StepName}' tensor (the step count). Names: {string.Join(", ", tensors.Names)}.");
        var stepTensor = tensors[StepName];
        if (stepTensor.Size != 1)
            throw new ArgumentException($"{operation}: '{StepName}' has shape {stepTensor.Shape}; expected a scalar.");
        var stepValue = stepTensor.ToArray()[0];
        if (!T.IsInteger(stepValue) || stepValue < T.Zero)
            throw new ArgumentException($"{operation}: '{StepName}' is {stepValue}; expected a whole number ≥ 0.");
        foreach (var name in tensors.Names)
            if (name != StepName && !slotNames.Any(slot => name.StartsWith(slot + ".", StringComparison.Ordinal)))
                throw new ArgumentException($"{operation}: '{name}' is not a state tensor; expected '{StepName}' or names starting with {string.Join(", ", slotNames.Select(s => $"'{s}.'"))}.");
        var slots = Array.ConvertAll(slotNames, slot => tensors.Select(slot + "."));
        return (long.CreateChecked(stepValue), slots);
    }

    /// <summary>
    /// The state as <typeparamref name="TState"/>, the state type of the optimizer <paramref name="optimizer"/> names;
    /// refused (naming both types) when it came from another kind of optimizer.
    /// </summary>
    public static TState RequireState<T, TState>(OptimizerState<T> state, string optimizer) where T : unmanaged, IFloatingPointIeee754<T>
        where TState : OptimizerState<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        return state as TState ?? throw new ArgumentException(
            $"{optimizer}.Update: the state is a {StateName(state.GetType())}, expected a {StateName(typeof(TState))}; " +
            "pass the state this optimizer's Init (or its previous Update) returned.", nameof(state));
    }

    private static string StateName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>" : type.Name;

    /// <summary>A hyper-parameter (always given as a double, as in PyTorch) in the parameters' element type.</summary>
    public static T Scalar<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateChecked(value);
}
