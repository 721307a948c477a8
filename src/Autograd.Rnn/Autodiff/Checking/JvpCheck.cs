using System.Numerics;

namespace Autograd.Rnn;

// Forward mode checked like reverse mode: J·v from Grad.Jvp against the central difference (f(p + h·v) − f(p − h·v)) / 2h,
// element by element of the output, for a few random tangents v that move every parameter at once.
public static partial class GradCheck
{
    /// <summary>
    /// Checks the forward-mode derivative (<see cref="Grad.Jvp{T}(Func{Params{T}, Tensor{T}}, Params{T}, Params{T})"/>) of
    /// <paramref name="function"/>: for <see cref="GradCheckOptions.Directions"/> random tangents v (standard normal, one
    /// tensor per parameter, seeded by <see cref="GradCheckOptions.Seed"/>), every element of J·v is compared with
    /// (f(p + h·v) − f(p − h·v)) / 2h under the options' step and tolerances. Entries are reported as
    /// <c>output[i…] along random direction d</c>. The function may return any shape.
    /// </summary>
    /// <param name="function">Any tensor-valued function of the parameters.</param>
    /// <param name="parameters">Where to check.</param>
    /// <param name="options">Step, tolerances, number of directions and seed; by default <see cref="GradCheckOptions.Default"/>
    /// for double and <see cref="GradCheckOptions.ForSingle"/> for float.</param>
    public static GradCheckResult JvpCheck<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= typeof(T) == typeof(float) ? GradCheckOptions.ForSingle : GradCheckOptions.Default;
        var tally = new Tally(options);
        var step = T.CreateChecked(options.Step);
        for (int d = 0; d < options.Directions; d++)
        {
            ulong seed = unchecked(options.Seed + 0x9E3779B97F4A7C15UL * (ulong)(d + 1));
            var tangents = parameters.Map(t => Tensor.RandomNormal<T>(t.Shape.ToArray(), seed++));
            var analytic = Grad.Jvp(function, parameters, tangents).Tangent;
            var plus = Output(function, parameters.Zip(tangents, (p, v) => Shifted(p, v, step)));
            var minus = Output(function, parameters.Zip(tangents, (p, v) => Shifted(p, v, -step)));
            var dims = analytic.Shape.ToArray();
            var values = analytic.Value.Span;
            for (int i = 0; i < values.Length; i++)
                tally.Add(new GradCheckEntry("output", Unravel(i, dims), d, double.CreateChecked(values[i]), (plus[i] - minus[i]) / (2 * options.Step)));
        }
        return tally.Result();
    }

    /// <summary>Checks the forward-mode derivative of a function of one tensor (see <see cref="JvpCheck{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/>).</summary>
    public static GradCheckResult JvpCheck<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return JvpCheck(p => function(p["input"]), Params<T>.Empty.Add("input", input), options);
    }

    /// <summary><see cref="JvpCheck{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/> with the parameters first (F#-friendly).</summary>
    public static GradCheckResult JvpCheck<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => JvpCheck(function, parameters, options);

    /// <summary><see cref="JvpCheck{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, GradCheckOptions?)"/> with the input first (F#-friendly).</summary>
    public static GradCheckResult JvpCheck<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => JvpCheck(function, input, options);

    // p + step·v as a fresh constant (the finite differences must not be traced).
    private static Tensor<T> Shifted<T>(Tensor<T> p, Tensor<T> v, T step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = p.Value.Span;
        var direction = v.Value.Span;
        var shifted = new T[x.Length];
        for (int i = 0; i < shifted.Length; i++) shifted[i] = x[i] + step * direction[i];
        return new Tensor<T>(new NdArray<T>(shifted, p.Shape));
    }

    private static double[] Output<T>(Func<Params<T>, Tensor<T>> function, Params<T> at) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = function(at) ?? throw new ArgumentException("GradCheck.JvpCheck: the function returned null.", nameof(function));
        var values = output.ToArray();
        return Array.ConvertAll(values, double.CreateChecked);
    }
}
