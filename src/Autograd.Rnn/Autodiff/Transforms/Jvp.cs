using System.Numerics;

namespace Autograd.Rnn;

// Forward mode: the input becomes a dual number at a new forward level — its value perturbed along the tangent — and
// every op the function calls carries the perturbation along with its JVP rule as it runs (Trace). Nothing is recorded
// and nothing is swept: one pass gives the output and J·v. The tangent is computed with public ops on values one level
// down, so it is traced at any enclosing level: a Jvp of a Grad (forward over reverse) or a Grad of a Jvp works, and
// levels keep the perturbations apart exactly as for nested Grad calls.
public static partial class Grad
{
    /// <summary>
    /// The Jacobian–vector product: for y = <paramref name="function"/>(x), returns y and J·<paramref name="tangent"/> =
    /// ∂y/∂x · v, the directional derivative of the output along v, shaped like y — in one forward pass (forward mode),
    /// about the cost of two evaluations of the function; the Jacobian is never formed.
    /// </summary>
    /// <param name="function">Any tensor-valued function of one tensor.</param>
    /// <param name="primal">x; may itself be traced by an enclosing <see cref="Grad"/> call (the result is then differentiable).</param>
    /// <param name="tangent">v, shaped like x.</param>
    /// <exception cref="ArgumentException">The tangent's shape differs from the primal's, or the function returned null.</exception>
    public static JvpResult<T> Jvp<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> primal, Tensor<T> tangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(primal);
        ArgumentNullException.ThrowIfNull(tangent);
        if (tangent.Shape != primal.Shape)
            throw new ArgumentException($"Grad.Jvp: the tangent's shape {tangent.Shape} differs from the primal's shape {primal.Shape}.", nameof(tangent));
        var level = NewLevel(forward: true);
        try
        {
            var dual = Tensor<T>.Dual(primal.Live, level, "input", tangent.Live);
            return Split(function(dual), level, nameof(function));
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>
    /// The Jacobian–vector product of a function of parameters: y = <paramref name="function"/>(p) and
    /// Σ over parameters q of ∂y/∂q · <paramref name="tangents"/>[q], shaped like y, in one forward pass.
    /// </summary>
    /// <param name="function">Any tensor-valued function of the parameters.</param>
    /// <param name="parameters">Where to evaluate; may themselves be traced by an enclosing <see cref="Grad"/> call.</param>
    /// <param name="tangents">v: the same names as <paramref name="parameters"/> (in any order), each with its parameter's shape.</param>
    /// <exception cref="ArgumentException">The tangents' names or shapes differ from the parameters', or the function returned null.</exception>
    public static JvpResult<T> Jvp<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, Params<T> tangents)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tangents);
        RequireDirection(parameters, tangents, "Grad.Jvp", "tangents");
        var level = NewLevel(forward: true);
        try
        {
            var names = parameters.Names;
            var duals = new Tensor<T>[names.Count];
            for (int i = 0; i < duals.Length; i++)
                duals[i] = Tensor<T>.Dual(parameters[names[i]].Live, level, names[i], tangents[names[i]].Live);
            return Split(function(parameters.WithTensors(duals)), level, nameof(function));
        }
        finally
        {
            End(level);
        }
    }

    /// <summary>
    /// <see cref="Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/> with the primal and tangent first
    /// (the form F# infers without annotations: <c>Grad.Jvp(x, v, fun x -> ...)</c>).
    /// </summary>
    public static JvpResult<T> Jvp<T>(Tensor<T> primal, Tensor<T> tangent, Func<Tensor<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Jvp(function, primal, tangent);

    /// <summary>
    /// <see cref="Jvp{T}(Func{Params{T}, Tensor{T}}, Params{T}, Params{T})"/> with the parameters and tangents first
    /// (the form F# infers without annotations: <c>Grad.Jvp(parameters, tangents, fun p -> ...)</c>).
    /// </summary>
    public static JvpResult<T> Jvp<T>(Params<T> parameters, Params<T> tangents, Func<Params<T>, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => Jvp(function, parameters, tangents);

    // The output with this level stripped, and its tangent: zeros when the output does not depend on the input.
    private static JvpResult<T> Split<T>(Tensor<T>? output, Level level, string parameterName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var live = (output ?? throw new ArgumentException("Grad.Jvp: the function returned null.", parameterName)).Live;
        var value = live.PrimalAt(level.Id);
        return new JvpResult<T>(value, live.Tag == level.Id ? live.Node!.Tangent!.Live : Tensor.ZerosLike(value));
    }
}

/// <summary>A function's output and a Jacobian–vector product (see <see cref="Grad.Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/>).</summary>
/// <param name="Output">y = f(x).</param>
/// <param name="Tangent">J·v = ∂y/∂x · v, shaped like y.</param>
public sealed record JvpResult<T>(Tensor<T> Output, Tensor<T> Tangent) where T : unmanaged, IFloatingPointIeee754<T>;
