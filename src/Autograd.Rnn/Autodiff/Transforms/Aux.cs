using System.Numerics;

namespace Autograd.Rnn;

// Auxiliary outputs (JAX's has_aux): the function returns the scalar to differentiate and anything else it computed on
// the way (predictions, metrics, the final recurrent state), so nothing is computed twice. The aux is handed back as the
// function built it. Tensors in it were traced at this call's level, which has ended when the caller sees them: they
// read as their values (IsTraced is false), unless an enclosing Grad call traces them — then they stay differentiable
// at that level, as the value does. Nothing walks the aux object, so it may be of any type.
public static partial class Grad
{
    /// <summary>
    /// <see cref="ValueAndGrad{T}(Func{Params{T}, Tensor{T}}, Params{T})"/> for a function that also returns auxiliary
    /// data: the value, its gradient with respect to every parameter, and the aux exactly as the function returned it
    /// (its tensors untraced at this call's level; the aux is not differentiated).
    /// </summary>
    /// <param name="function">
    /// Maps the parameters to the scalar to differentiate and the aux: <c>p =&gt; WithAux.Create(loss, predictions)</c>.
    /// </param>
    /// <param name="parameters">Where to evaluate; may themselves be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <exception cref="ArgumentException">The function returned null, or a value of more than one element.</exception>
    public static GradientWithAuxResult<T, TAux> ValueAndGradWithAux<T, TAux>(Func<Params<T>, WithAux<T, TAux>> function, Params<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        TAux aux = default!;
        var result = ValueAndGrad(p =>
        {
            var returned = RequireWithAux(function(p));
            aux = returned.Aux;
            return RequireScalar(returned.Value, "Grad.ValueAndGradWithAux");
        }, parameters);
        return new GradientWithAuxResult<T, TAux>(result.Value, result.Gradients, aux);
    }

    /// <summary>
    /// <see cref="ValueAndGrad{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> for a function that also returns auxiliary
    /// data: the value, its gradient, and the aux exactly as the function returned it (untraced at this call's level).
    /// </summary>
    /// <param name="function">Maps the input to the scalar to differentiate and the aux: <c>x =&gt; WithAux.Create(loss, y)</c>.</param>
    /// <param name="input">Where to evaluate; may itself be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <exception cref="ArgumentException">The function returned null, or a value of more than one element.</exception>
    public static TensorGradientWithAuxResult<T, TAux> ValueAndGradWithAux<T, TAux>(Func<Tensor<T>, WithAux<T, TAux>> function, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        TAux aux = default!;
        var result = ValueAndGrad(x =>
        {
            var returned = RequireWithAux(function(x));
            aux = returned.Aux;
            return RequireScalar(returned.Value, "Grad.ValueAndGradWithAux");
        }, input);
        return new TensorGradientWithAuxResult<T, TAux>(result.Value, result.Gradient, aux);
    }

    /// <summary>
    /// <see cref="ValueAndGradWithAux{T, TAux}(Func{Params{T}, WithAux{T, TAux}}, Params{T})"/> with the parameters first
    /// (the form F# infers without annotations: <c>Grad.ValueAndGradWithAux(parameters, fun p -> WithAux(loss, aux))</c>).
    /// </summary>
    public static GradientWithAuxResult<T, TAux> ValueAndGradWithAux<T, TAux>(Params<T> parameters, Func<Params<T>, WithAux<T, TAux>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGradWithAux(function, parameters);

    /// <summary>
    /// <see cref="ValueAndGradWithAux{T, TAux}(Func{Tensor{T}, WithAux{T, TAux}}, Tensor{T})"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.ValueAndGradWithAux(x, fun x -> WithAux(loss, aux))</c>).
    /// </summary>
    public static TensorGradientWithAuxResult<T, TAux> ValueAndGradWithAux<T, TAux>(Tensor<T> input, Func<Tensor<T>, WithAux<T, TAux>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGradWithAux(function, input);

    // The aux is captured from the one call of the function; the value goes on to ValueAndGrad's scalar check.
    private static WithAux<T, TAux> RequireWithAux<T, TAux>(WithAux<T, TAux>? result) where T : unmanaged, IFloatingPointIeee754<T> =>
        result ?? throw new ArgumentException("Grad.ValueAndGradWithAux: the function returned null; return WithAux.Create(value, aux).", "function");
}

/// <summary>
/// What a function differentiated by <see cref="Grad.ValueAndGradWithAux{T, TAux}(Func{Params{T}, WithAux{T, TAux}}, Params{T})"/>
/// returns: the scalar to differentiate and auxiliary data that is returned alongside, not differentiated.
/// </summary>
/// <param name="Value">The scalar to differentiate (a tensor of one element), e.g. the loss.</param>
/// <param name="Aux">Anything else the function computed: predictions, metrics, a final recurrent state.</param>
public sealed record WithAux<T, TAux>(Tensor<T> Value, TAux Aux) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Creates <see cref="WithAux{T, TAux}"/> results with their types inferred (C#: <c>WithAux.Create(loss, predictions)</c>).</summary>
public static class WithAux
{
    /// <summary>The scalar <paramref name="value"/> to differentiate, with <paramref name="aux"/> carried alongside.</summary>
    public static WithAux<T, TAux> Create<T, TAux>(Tensor<T> value, TAux aux) where T : unmanaged, IFloatingPointIeee754<T> => new(value, aux);
}

/// <summary>A function's value, its gradient with respect to every parameter, and its auxiliary data.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradients">∂value/∂parameter for each parameter, by the same names.</param>
/// <param name="Aux">The aux the function returned (its tensors untraced at the call's level).</param>
public sealed record GradientWithAuxResult<T, TAux>(Tensor<T> Value, Params<T> Gradients, TAux Aux) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A function's value, its gradient with respect to one tensor, and its auxiliary data.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradient">∂value/∂input, shaped like the input.</param>
/// <param name="Aux">The aux the function returned (its tensors untraced at the call's level).</param>
public sealed record TensorGradientWithAuxResult<T, TAux>(Tensor<T> Value, Tensor<T> Gradient, TAux Aux) where T : unmanaged, IFloatingPointIeee754<T>;
