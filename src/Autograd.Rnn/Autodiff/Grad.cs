using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Reverse-mode differentiation as a transformation of functions. Each call traces the function once on fresh
/// graph leaves tagged with a new level, then sweeps the graph backwards once. Calls nest: the function may
/// itself call <see cref="Grad"/> (gradients of gradients, Hessian-vector products), and levels never mix.
/// Nothing is stored between calls; calls from several threads at once are independent.
/// </summary>
public static partial class Grad
{
    // The one counter the library keeps: it only hands out distinct, increasing level tags (a nested call always
    // gets a later tag than its enclosing call), and no result depends on its value.
    private static long lastTag;

    // Grad calls running on this thread: a new level's depth, for messages (Anomaly, graph export).
    [ThreadStatic] private static int running;

    /// <summary>How many levels (Grad calls and plan recordings) are running on this thread.</summary>
    internal static int Running => running;

    // Vmap calls running on this thread: plans never run while one is (they replay kernels on one example's shapes).
    [ThreadStatic] private static int batching;

    /// <summary>Whether a <see cref="Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/> call is running on this thread.</summary>
    internal static bool AnyVmapRunning => batching > 0;

    internal static Level NewLevel(bool planning = false, bool forward = false, bool batching = false)
    {
        running++;
        if (batching) Grad.batching++;
        return new Level(Interlocked.Increment(ref lastTag), running, planning, forward, batching) { ArenaBefore = ValueArena.Lend(null) };
    }

    internal static void End(Level level)
    {
        running--;
        if (level.IsBatching) batching--;
        ValueArena.Lend(level.ArenaBefore);
        level.End();
    }

    /// <summary>
    /// The value of <paramref name="function"/> at <paramref name="parameters"/> and its gradient with respect to
    /// every parameter (same names and shapes; zeros for parameters the value does not depend on).
    /// </summary>
    /// <param name="function">Maps the parameters to a scalar (a tensor of one element).</param>
    /// <param name="parameters">Where to evaluate; may themselves be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <exception cref="ArgumentException">The function returned more than one element.</exception>
    public static GradientResult<T> ValueAndGrad<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        var level = NewLevel();
        try
        {
            var leaves = Array.ConvertAll(parameters.Tensors(), input => Tensor<T>.Leaf(input.Live, level));
            var output = RequireScalar(function(parameters.WithTensors(leaves)), "Grad.ValueAndGrad");
            var gradients = Backward.Run(output, Tensor.OnesLike(output), level.Id, leaves);
            return new GradientResult<T>(output.PrimalAt(level.Id), parameters.WithTensors(gradients));
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>The value of <paramref name="function"/> at <paramref name="input"/> and its gradient (same shape as the input).</summary>
    /// <param name="function">Maps the input to a scalar (a tensor of one element).</param>
    /// <param name="input">Where to evaluate; may itself be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <exception cref="ArgumentException">The function returned more than one element.</exception>
    public static TensorGradientResult<T> ValueAndGrad<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        var level = NewLevel();
        try
        {
            var leaf = Tensor<T>.Leaf(input.Live, level);
            var output = RequireScalar(function(leaf), "Grad.ValueAndGrad");
            var gradient = Backward.Run(output, Tensor.OnesLike(output), level.Id, [leaf])[0];
            return new TensorGradientResult<T>(output.PrimalAt(level.Id), gradient);
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>The gradient of a scalar function of parameters (see <see cref="ValueAndGrad{T}(Func{Params{T}, Tensor{T}}, Params{T})"/>).</summary>
    public static Params<T> Gradient<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, parameters).Gradients;

    /// <summary>The gradient of a scalar function of one tensor (see <see cref="ValueAndGrad{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/>).</summary>
    public static Tensor<T> Gradient<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, input).Gradient;

    // Point-first forms. F# checks a method's arguments left to right and, when the name is overloaded, gives a
    // lambda's parameter a type only once the arguments before it have ruled out the other overloads. With the
    // point first, `Grad.ValueAndGrad(parameters, fun p -> p.["w"].Sum())` compiles without annotating p; with the
    // lambda first, p's type is unknown while the lambda body is checked and member access on it fails.

    /// <summary>
    /// <see cref="ValueAndGrad{T}(Func{Params{T}, Tensor{T}}, Params{T})"/> with the parameters first
    /// (the form F# infers without annotations: <c>Grad.ValueAndGrad(parameters, fun p -> ...)</c>).
    /// </summary>
    public static GradientResult<T> ValueAndGrad<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, parameters);

    /// <summary>
    /// <see cref="ValueAndGrad{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first
    /// (the form F# infers without annotations: <c>Grad.ValueAndGrad(x, fun x -> ...)</c>).
    /// </summary>
    public static TensorGradientResult<T> ValueAndGrad<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, input);

    /// <summary><see cref="Gradient{T}(Func{Params{T}, Tensor{T}}, Params{T})"/> with the parameters first (F#-friendly).</summary>
    public static Params<T> Gradient<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, parameters).Gradients;

    /// <summary><see cref="Gradient{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first (F#-friendly).</summary>
    public static Tensor<T> Gradient<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGrad(function, input).Gradient;

    /// <summary>
    /// The vector–Jacobian product: for y = <paramref name="function"/>(x), returns y and
    /// <paramref name="cotangent"/>ᵀ·∂y/∂x, a tensor shaped like x.
    /// </summary>
    /// <param name="function">Any tensor-valued function.</param>
    /// <param name="input">x.</param>
    /// <param name="cotangent">A tensor shaped like the function's output.</param>
    /// <exception cref="ArgumentException">The cotangent's shape differs from the output's.</exception>
    public static VjpResult<T> Vjp<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, Tensor<T> cotangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(cotangent);
        var level = NewLevel();
        try
        {
            var leaf = Tensor<T>.Leaf(input.Live, level);
            var output = (function(leaf) ?? throw new ArgumentException("Grad.Vjp: the function returned null.", nameof(function))).Live;
            if (output.Shape != cotangent.Shape)
                throw new ArgumentException($"Grad.Vjp: the cotangent's shape {cotangent.Shape} differs from the output's shape {output.Shape}.", nameof(cotangent));
            var result = Backward.Run(output, cotangent.Live, level.Id, [leaf])[0];
            return new VjpResult<T>(output.PrimalAt(level.Id), result);
        }
        finally
        {
            End(level);
        }
    }

    // The output as the sweep reads it: at its live levels (a value kept from an inner call that has returned is
    // differentiated through what it was one level down, not dropped).
    private static Tensor<T> RequireScalar<T>(Tensor<T> output, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output is null) throw new ArgumentException($"{operation}: the function returned null.");
        if (output.Size != 1)
            throw new ArgumentException(
                $"{operation}: the function returned a tensor of shape {output.Shape}; it must return one element (reduce it first, e.g. with Sum()).");
        return output.Live;
    }
}

/// <summary>A function's value and its gradient with respect to every parameter.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradients">∂value/∂parameter for each parameter, by the same names.</param>
public sealed record GradientResult<T>(Tensor<T> Value, Params<T> Gradients) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A function's value and its gradient with respect to one tensor.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradient">∂value/∂input, shaped like the input.</param>
public sealed record TensorGradientResult<T>(Tensor<T> Value, Tensor<T> Gradient) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>A function's output and a vector–Jacobian product.</summary>
/// <param name="Output">y = f(x).</param>
/// <param name="Cotangent">cotangentᵀ·∂y/∂x, shaped like x.</param>
public sealed record VjpResult<T>(Tensor<T> Output, Tensor<T> Cotangent) where T : unmanaged, IFloatingPointIeee754<T>;
