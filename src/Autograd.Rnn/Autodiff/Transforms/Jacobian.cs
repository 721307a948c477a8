using System.Numerics;

namespace Autograd.Rnn;

// Jacobians and Hessians in reverse mode. The function is traced once; the Jacobian's rows are then one backward sweep
// each over that same graph, seeded with one output element's one-hot cotangent. A graph is immutable, so sweeping it m
// times is safe, and costs m sweeps instead of m forward passes. (Sweeping a block of rows at once needs a batch
// dimension through every VJP rule, i.e. vmap: not done here.) The rows are computed with public ops, so a Jacobian is
// itself differentiable by an enclosing Grad call, which is how the Hessian is built: the Jacobian of the gradient.
public static partial class Grad
{
    /// <summary>
    /// The Jacobian of <paramref name="function"/> at <paramref name="input"/>: J[i…, j…] = ∂yᵢ/∂xⱼ, of shape
    /// [outputShape…, inputShape…] (for a scalar output, the input's shape; for a scalar input, the output's shape).
    /// Costs one forward pass and one backward sweep per output element, so it suits functions with few outputs.
    /// </summary>
    /// <param name="function">Any tensor-valued function of one tensor.</param>
    /// <param name="input">x; may itself be traced by an enclosing <see cref="Grad"/> call (the Jacobian is then differentiable).</param>
    /// <exception cref="ArgumentException">The function returned null.</exception>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return JacobianOf(function, input, "Grad.Jacobian");
    }

    /// <summary>
    /// <see cref="Jacobian{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.Jacobian(x, fun x -> ...)</c>).
    /// </summary>
    public static Tensor<T> Jacobian<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Jacobian(function, input);

    /// <summary>
    /// The Hessian of a scalar <paramref name="function"/> at <paramref name="input"/>: H[i…, j…] = ∂²f/∂xᵢ∂xⱼ, of shape
    /// [inputShape…, inputShape…], computed as the Jacobian of the gradient (reverse over reverse). Symmetric up to
    /// rounding. Costs one forward and one backward pass, then one sweep of the backward graph per input element;
    /// for a product with one direction, <see cref="Hvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/> is far cheaper.
    /// </summary>
    /// <param name="function">Maps the input to a scalar (a tensor of one element).</param>
    /// <param name="input">x; may itself be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <exception cref="ArgumentException">The function returned more than one element, or null.</exception>
    public static Tensor<T> Hessian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return JacobianOf(x => Gradient(y => RequireScalar(function(y), "Grad.Hessian"), x), input, "Grad.Hessian");
    }

    /// <summary>
    /// <see cref="Hessian{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.Hessian(x, fun x -> ...)</c>).
    /// </summary>
    public static Tensor<T> Hessian<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Hessian(function, input);

    private static Tensor<T> JacobianOf<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var level = NewLevel();
        try
        {
            var leaf = Tensor<T>.Leaf(input.Live, level);
            var output = (function(leaf) ?? throw new ArgumentException($"{operation}: the function returned null.", nameof(function))).Live;
            var dimensions = new int[output.Rank + input.Rank];
            output.Shape.ToArray().CopyTo(dimensions, 0);
            input.Shape.ToArray().CopyTo(dimensions, output.Rank);
            _ = Shape.Result($"{operation}: the Jacobian", dimensions); // throws when outputs × inputs elements do not fit in one tensor
            if (output.Size == 0 || input.Size == 0) return Tensor.Zeros<T>(dimensions);
            var rows = new Tensor<T>[output.Size];
            for (int i = 0; i < rows.Length; i++)
            {
                var oneHot = new T[output.Size];
                oneHot[i] = T.One;
                rows[i] = Backward.Run(output, new Tensor<T>(new NdArray<T>(oneHot, output.Shape)), level.Id, [leaf])[0];
            }
            return Tensor.Reshape(rows.Length == 1 ? rows[0] : Tensor.Stack(rows), dimensions);
        }
        finally
        {
            End(level);
        }
    }
}
