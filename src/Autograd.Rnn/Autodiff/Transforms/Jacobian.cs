using System.Numerics;

namespace Autograd.Rnn;

// Jacobians and Hessians. In reverse mode the function is traced once; the Jacobian's rows are then one backward sweep
// each over that same graph, seeded with one output element's one-hot cotangent. A graph is immutable, so sweeping it m
// times is safe, and costs m sweeps instead of m forward passes. In forward mode the columns are one Jvp each, seeded
// with one input element's one-hot tangent: n forward passes, no graph kept — the cheaper side when n < m. (Sweeping a block of rows at once needs a batch
// dimension through every VJP rule, i.e. vmap: not done here.) The rows are computed with public ops, so a Jacobian is
// itself differentiable by an enclosing Grad call, which is how the Hessian is built: the Jacobian of the gradient.
public static partial class Grad
{
    /// <summary>
    /// The Jacobian of <paramref name="function"/> at <paramref name="input"/>: J[i…, j…] = ∂yᵢ/∂xⱼ, of shape
    /// [outputShape…, inputShape…] (for a scalar output, the input's shape; for a scalar input, the output's shape).
    /// Reverse mode costs one forward pass and one backward sweep per output element (m); forward mode one forward pass
    /// with a tangent per input element (n). <see cref="JacobianMode.Auto"/> traces the function once, then keeps
    /// reverse mode unless the input has fewer elements than the output.
    /// </summary>
    /// <param name="function">Any tensor-valued function of one tensor.</param>
    /// <param name="input">x; may itself be traced by an enclosing <see cref="Grad"/> call (the Jacobian is then differentiable).</param>
    /// <param name="mode">Reverse (rows), forward (columns), or chosen by the shapes (the default).</param>
    /// <exception cref="ArgumentException">The function returned null.</exception>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, JacobianMode mode = JacobianMode.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), $"Grad.Jacobian: {mode} is not a JacobianMode.");
        return mode == JacobianMode.Forward ? ForwardJacobian(function, input, "Grad.Jacobian") : JacobianOf(function, input, "Grad.Jacobian", mode);
    }

    /// <summary>
    /// <see cref="Jacobian{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, JacobianMode)"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.Jacobian(x, fun x -> ...)</c>).
    /// </summary>
    public static Tensor<T> Jacobian<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function, JacobianMode mode = JacobianMode.Auto)
        where T : unmanaged, IFloatingPointIeee754<T> => Jacobian(function, input, mode);

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
        return JacobianOf(x => Gradient(y => RequireScalar(function(y), "Grad.Hessian"), x), input, "Grad.Hessian", JacobianMode.Reverse);
    }

    /// <summary>
    /// <see cref="Hessian{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.Hessian(x, fun x -> ...)</c>).
    /// </summary>
    public static Tensor<T> Hessian<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Hessian(function, input);

    private static Tensor<T> JacobianOf<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, string operation, JacobianMode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var level = NewLevel();
        try
        {
            var leaf = Tensor<T>.Leaf(input.Live, level);
            var output = (function(leaf) ?? throw new ArgumentException($"{operation}: the function returned null.", nameof(function))).Live;
            var dimensions = JacobianShape(output.Shape, input.Shape, operation);
            if (output.Size == 0 || input.Size == 0) return Tensor.Zeros<T>(dimensions);
            if (mode == JacobianMode.Auto && input.Size < output.Size)
            {
                End(level); // the trace is not needed: forward mode runs the function afresh, outside it
                return ForwardJacobian(function, input, operation);
            }
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
            if (level.IsLive) End(level);
        }
    }

    // One Jvp per input element, seeded with its one-hot tangent: column j of J, shaped like the output. Stacked on a
    // last axis and reshaped, the columns give the same [outputShape…, inputShape…] layout as the reverse rows.
    private static Tensor<T> ForwardJacobian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var columns = new Tensor<T>[input.Size];
        Shape? outputShape = null;
        for (int j = 0; j < columns.Length; j++)
        {
            var oneHot = new T[input.Size];
            oneHot[j] = T.One;
            var result = Jvp(x => function(x) ?? throw new ArgumentException($"{operation}: the function returned null.", nameof(function)),
                input, new Tensor<T>(new NdArray<T>(oneHot, input.Shape)));
            // The size check comes after the first column, not after all n of them.
            if (j == 0) _ = JacobianShape(result.Output.Shape, input.Shape, operation);
            outputShape = result.Output.Shape;
            columns[j] = result.Tangent;
        }
        if (outputShape is null)
        {
            // No input elements: the function still runs once, for the output's shape.
            var output = function(input) ?? throw new ArgumentException($"{operation}: the function returned null.", nameof(function));
            return Tensor.Zeros<T>(JacobianShape(output.Shape, input.Shape, operation));
        }
        var dimensions = JacobianShape(outputShape, input.Shape, operation);
        if (outputShape.Size == 0) return Tensor.Zeros<T>(dimensions);
        return Tensor.Reshape(columns.Length == 1 ? columns[0] : Tensor.Stack(columns, outputShape.Rank), dimensions);
    }

    private static int[] JacobianShape(Shape output, Shape input, string operation)
    {
        var dimensions = new int[output.Rank + input.Rank];
        output.ToArray().CopyTo(dimensions, 0);
        input.ToArray().CopyTo(dimensions, output.Rank);
        _ = Shape.Result($"{operation}: the Jacobian", dimensions); // throws when outputs × inputs elements do not fit in one tensor
        return dimensions;
    }
}

/// <summary>How <see cref="Grad.Jacobian{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, JacobianMode)"/> computes the Jacobian.</summary>
public enum JacobianMode
{
    /// <summary>Forward mode when the input has fewer elements than the output, else reverse mode (the function is traced once first, to learn its output's size).</summary>
    Auto,

    /// <summary>Reverse mode: one backward sweep per output element, over one trace of the function.</summary>
    Reverse,

    /// <summary>Forward mode: one forward pass with a one-hot tangent per input element.</summary>
    Forward,
}
