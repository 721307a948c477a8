using System.Numerics;

namespace Autograd.Rnn;

// Hessian-vector products, reverse over reverse: H·v is the gradient of x ↦ ⟨∇f(x), v⟩. The inner ValueAndGrad runs on
// this call's leaves, so the value and gradient it returns are traced here; one sweep of that graph gives H·v, and the
// value and gradient are kept (with this call's tracing stripped) rather than computed a second time.
public static partial class Grad
{
    /// <summary>
    /// The value of a scalar <paramref name="function"/> at <paramref name="input"/>, its gradient, and the
    /// Hessian-vector product H·<paramref name="direction"/>, from one forward pass, one backward pass and one sweep of
    /// that backward pass (about the cost of two gradients; the Hessian is never formed).
    /// </summary>
    /// <param name="function">Maps the input to a scalar (a tensor of one element).</param>
    /// <param name="input">x; may itself be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <param name="direction">v, shaped like the input.</param>
    /// <exception cref="ArgumentException">The direction's shape differs from the input's, or the function returned more than one element.</exception>
    public static TensorHvpResult<T> Hvp<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, Tensor<T> direction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(direction);
        if (direction.Shape != input.Shape)
            throw new ArgumentException($"Grad.Hvp: the direction's shape {direction.Shape} differs from the input's shape {input.Shape}.", nameof(direction));
        var level = NewLevel();
        try
        {
            var leaf = Tensor<T>.Leaf(input.Live, level);
            var inner = ValueAndGrad(x => RequireScalar(function(x), "Grad.Hvp"), leaf);
            var projected = Tensor.Sum(inner.Gradient * direction).Live;
            var product = Backward.Run(projected, Tensor.OnesLike(projected), level.Id, [leaf])[0];
            return new TensorHvpResult<T>(inner.Value.PrimalAt(level.Id), inner.Gradient.PrimalAt(level.Id), product);
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>
    /// The value of a scalar <paramref name="function"/> at <paramref name="parameters"/>, its gradient, and the
    /// Hessian-vector product H·<paramref name="direction"/>, where H is the Hessian with respect to all the parameters
    /// at once (cross terms between parameters included) and the vector is the direction's tensors taken together.
    /// </summary>
    /// <param name="function">Maps the parameters to a scalar (a tensor of one element).</param>
    /// <param name="parameters">Where to evaluate; may themselves be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <param name="direction">v: the same names as <paramref name="parameters"/> (in any order), each with its parameter's shape.</param>
    /// <exception cref="ArgumentException">The direction's names or shapes differ from the parameters', or the function returned more than one element.</exception>
    public static HvpResult<T> Hvp<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, Params<T> direction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(direction);
        RequireDirection(parameters, direction, "Grad.Hvp", nameof(direction));
        var level = NewLevel();
        try
        {
            var leaves = Array.ConvertAll(parameters.Tensors(), p => Tensor<T>.Leaf(p.Live, level));
            var inner = ValueAndGrad(p => RequireScalar(function(p), "Grad.Hvp"), parameters.WithTensors(leaves));
            Tensor<T>? projected = null;
            foreach (var (name, gradient) in inner.Gradients)
            {
                var term = Tensor.Sum(gradient * direction[name]);
                projected = projected is null ? term : projected + term;
            }
            var products = projected is null ? [] : Backward.Run(projected.Live, Tensor.OnesLike(projected), level.Id, leaves);
            return new HvpResult<T>(
                inner.Value.PrimalAt(level.Id),
                inner.Gradients.Map(g => g.PrimalAt(level.Id)),
                parameters.WithTensors(products));
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>
    /// <see cref="Hvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/> with the input and direction first
    /// (the form F# infers without annotations: <c>Grad.Hvp(x, v, fun x -> ...)</c>).
    /// </summary>
    public static TensorHvpResult<T> Hvp<T>(Tensor<T> input, Tensor<T> direction, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Hvp(function, input, direction);

    /// <summary>
    /// <see cref="Hvp{T}(Func{Params{T}, Tensor{T}}, Params{T}, Params{T})"/> with the parameters and direction first
    /// (the form F# infers without annotations: <c>Grad.Hvp(parameters, direction, fun p -> ...)</c>).
    /// </summary>
    public static HvpResult<T> Hvp<T>(Params<T> parameters, Params<T> direction, Func<Params<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Hvp(function, parameters, direction);

    // Shared with Grad.Jvp: a direction (tangent) has exactly the parameters' names and shapes.
    private static void RequireDirection<T>(Params<T> parameters, Params<T> direction, string operation, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, tensor) in parameters)
        {
            if (!direction.Contains(name))
                throw new ArgumentException(
                    $"{operation}: no tensor named '{name}' in the {parameterName}; they need the parameters' names [{string.Join(", ", parameters.Names)}], they have [{string.Join(", ", direction.Names)}].",
                    parameterName);
            if (direction[name].Shape != tensor.Shape)
                throw new ArgumentException(
                    $"{operation}: the {parameterName} tensor '{name}' has shape {direction[name].Shape}; the parameter has shape {tensor.Shape}.", parameterName);
        }
        if (direction.Count != parameters.Count)
            throw new ArgumentException(
                $"{operation}: names in the {parameterName} that the parameters lack: [{string.Join(", ", direction.Names.Where(n => !parameters.Contains(n)))}].",
                parameterName);
    }
}

/// <summary>A scalar function's value, gradient and Hessian-vector product with respect to parameters.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradients">∂value/∂parameter for each parameter, by the same names.</param>
/// <param name="HessianVector">H·v by the parameters' names: for each parameter p, Σ over parameters q of ∂²value/∂p∂q · v[q].</param>
public sealed record HvpResult<T>(Tensor<T> Value, Params<T> Gradients, Params<T> HessianVector) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A scalar function's value, gradient and Hessian-vector product with respect to one tensor.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradient">∂value/∂input, shaped like the input.</param>
/// <param name="HessianVector">H·v, shaped like the input.</param>
public sealed record TensorHvpResult<T>(Tensor<T> Value, Tensor<T> Gradient, Tensor<T> HessianVector) where T : unmanaged, IFloatingPointIeee754<T>;
