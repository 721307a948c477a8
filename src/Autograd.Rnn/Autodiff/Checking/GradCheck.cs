using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Checks reverse-mode gradients against central finite differences. Small parameters are checked entry by entry;
/// large ones along random directions (directional derivative against ⟨gradient, direction⟩). A function with more
/// than one output element is checked through ⟨f(x), r⟩ for a fixed random cotangent r, which tests its full VJP.
/// Use <c>double</c> for meaningful tolerances; <see cref="GradCheckOptions.ForSingle"/> exists for float32 functions.
/// Forward mode is checked the same way by <see cref="JvpCheck{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/>.
/// </summary>
public static partial class GradCheck
{
    /// <summary>Checks the gradient of <paramref name="function"/> with respect to every parameter.</summary>
    public static GradCheckResult Run<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= typeof(T) == typeof(float) ? GradCheckOptions.ForSingle : GradCheckOptions.Default;
        var scalar = ToScalar(function, parameters, options.Seed);
        var analytic = Grad.ValueAndGrad(scalar, parameters).Gradients;
        var tally = new Tally(options);
        ulong seed = options.Seed;
        foreach (var (name, tensor) in parameters)
        {
            seed = unchecked(seed * 6364136223846793005UL + 1442695040888963407UL);
            if (tensor.Size <= options.MaxEntriesPerParameter)
                CheckEntries(scalar, parameters, name, analytic[name], options, tally);
            else
                CheckDirections(scalar, parameters, name, analytic[name], options, seed, tally);
        }
        return tally.Result();
    }

    /// <summary>Checks the gradient of <paramref name="function"/> with respect to its one input (named <c>"input"</c> in the report).</summary>
    public static GradCheckResult Run<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return Run(p => function(p["input"]), Params<T>.Empty.Add("input", input), options);
    }

    // Point-first forms, for F#: see the comment on Grad's point-first overloads.

    /// <summary>
    /// <see cref="Run{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/> with the parameters first
    /// (the form F# infers without annotations: <c>GradCheck.Run(parameters, fun p -> ...)</c>).
    /// </summary>
    public static GradCheckResult Run<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(function, parameters, options);

    /// <summary>
    /// <see cref="Run{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, GradCheckOptions?)"/> with the input first
    /// (the form F# infers without annotations: <c>GradCheck.Run(x, fun x -> ...)</c>).
    /// </summary>
    public static GradCheckResult Run<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(function, input, options);

    /// <summary>
    /// Checks second derivatives: the gradient of h(p) = ⟨∇f(p), v⟩ for a fixed random v, where ∇f is computed by a
    /// nested <see cref="Grad"/> call, so it checks the Hessian-vector product H·v that double backward produces.
    /// </summary>
    public static GradCheckResult GradGradCheck<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= typeof(T) == typeof(float) ? GradCheckOptions.ForSingle : GradCheckOptions.Default;
        var scalar = ToScalar(function, parameters, options.Seed);
        ulong seed = options.Seed ^ 0x5DEECE66DUL;
        var directions = parameters.Map(t => Tensor.RandomNormal<T>(t.Shape.ToArray(), seed++));
        Tensor<T> Projected(Params<T> p)
        {
            var gradient = Grad.Gradient(scalar, p);
            var total = Tensor.Scalar(T.Zero);
            foreach (var (name, g) in gradient) total += Tensor.Sum(g * directions[name]);
            return total;
        }
        return Run(Projected, parameters, options);
    }

    /// <summary>Checks second derivatives of a function of one tensor (see <see cref="GradGradCheck{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/>).</summary>
    public static GradCheckResult GradGradCheck<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return GradGradCheck(p => function(p["input"]), Params<T>.Empty.Add("input", input), options);
    }

    /// <summary><see cref="GradGradCheck{T}(Func{Params{T}, Tensor{T}}, Params{T}, GradCheckOptions?)"/> with the parameters first (F#-friendly).</summary>
    public static GradCheckResult GradGradCheck<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => GradGradCheck(function, parameters, options);

    /// <summary><see cref="GradGradCheck{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, GradCheckOptions?)"/> with the input first (F#-friendly).</summary>
    public static GradCheckResult GradGradCheck<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> => GradGradCheck(function, input, options);

    // A scalar function to differentiate: f itself, or ⟨f, r⟩ with a random r fixed by the seed.
    private static Func<Params<T>, Tensor<T>> ToScalar<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = function(parameters);
        if (output.Size == 1) return function;
        var cotangent = Tensor.RandomNormal<T>(output.Shape.ToArray(), seed);
        return p => Tensor.Sum(function(p) * cotangent);
    }

    private static void CheckEntries<T>(Func<Params<T>, Tensor<T>> f, Params<T> parameters, string name, Tensor<T> analytic,
        GradCheckOptions options, Tally tally) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var original = parameters[name];
        var values = original.ToArray();
        var gradient = analytic.Value.Span;
        var dims = original.Shape.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            T saved = values[i];
            values[i] = saved + T.CreateChecked(options.Step);
            double plus = Evaluate(f, parameters, name, values, original.Shape);
            values[i] = saved - T.CreateChecked(options.Step);
            double minus = Evaluate(f, parameters, name, values, original.Shape);
            values[i] = saved;
            double numeric = (plus - minus) / (2 * options.Step);
            tally.Add(new GradCheckEntry(name, Unravel(i, dims), -1, double.CreateChecked(gradient[i]), numeric));
        }
    }

    private static void CheckDirections<T>(Func<Params<T>, Tensor<T>> f, Params<T> parameters, string name, Tensor<T> analytic,
        GradCheckOptions options, ulong seed, Tally tally) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var original = parameters[name];
        var x = original.Value.Span;
        var gradient = analytic.Value.Span;
        var shifted = new T[x.Length];
        for (int d = 0; d < options.Directions; d++)
        {
            var direction = Tensor.RandomNormal<T>(original.Shape.ToArray(), seed + (ulong)d).Value.Span;
            double expected = 0;
            for (int i = 0; i < x.Length; i++) expected += double.CreateChecked(gradient[i]) * double.CreateChecked(direction[i]);
            var step = T.CreateChecked(options.Step);
            for (int i = 0; i < x.Length; i++) shifted[i] = x[i] + step * direction[i];
            double plus = Evaluate(f, parameters, name, shifted, original.Shape);
            for (int i = 0; i < x.Length; i++) shifted[i] = x[i] - step * direction[i];
            double minus = Evaluate(f, parameters, name, shifted, original.Shape);
            tally.Add(new GradCheckEntry(name, [], d, expected, (plus - minus) / (2 * options.Step)));
        }
    }

    private static double Evaluate<T>(Func<Params<T>, Tensor<T>> f, Params<T> parameters, string name, T[] values, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        double.CreateChecked(f(parameters.With(name, new Tensor<T>(new NdArray<T>((T[])values.Clone(), shape)))).Item);

    private static int[] Unravel(int flat, int[] dims)
    {
        var index = new int[dims.Length];
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            index[a] = flat % dims[a];
            flat /= dims[a];
        }
        return index;
    }

    // Counts entries and keeps the one with the largest error relative to its own tolerance.
    private sealed class Tally(GradCheckOptions options)
    {
        private int count, failed;
        private GradCheckEntry? worst;
        private double worstRatio = -1;

        public void Add(GradCheckEntry entry)
        {
            count++;
            double allowed = options.AbsoluteTolerance + options.RelativeTolerance * Math.Abs(entry.Numeric);
            // Exact agreement passes even with zero tolerances (0/0 would otherwise count as a failure).
            double ratio = double.IsNaN(entry.AbsoluteError) ? double.PositiveInfinity
                : entry.AbsoluteError == 0 ? 0
                : entry.AbsoluteError / allowed;
            if (!(ratio <= 1)) failed++;
            if (ratio > worstRatio || worst is null)
            {
                worstRatio = ratio;
                worst = entry;
            }
        }

        public GradCheckResult Result() => new(failed == 0, count, failed, worst, options);
    }
}
