using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn;

/// <summary>
/// Adam (Kingma and Ba 2015), with AdamW's decoupled weight decay (Loshchilov and Hutter 2019) and AMSGrad (Reddi, Kale
/// and Kumar 2018) as options, as pure functions. The update is <c>torch.optim.Adam</c>'s (and, with
/// <see cref="AdamOptions.DecoupledWeightDecay"/>, <c>torch.optim.AdamW</c>'s), for each parameter θ with gradient g at
/// step t (counted from 1):
/// <code>
/// g ← −g                                     (maximize)
/// g ← g + λ·θ                                (weight decay λ as an L2 penalty)
/// θ ← θ·(1 − lr·λ)                           (decoupled weight decay λ instead: not part of the gradient)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// v̂ ← max(v̂, v); use v̂ for v below          (AMSGrad)
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// <see cref="Optimizer.Adam"/> gives the same update as an <see cref="IOptimizer"/>, for <see cref="Optimizer.Chain(IGradientTransform, IOptimizer, Schedule?)"/>.
/// </summary>
public static class Adam
{
    /// <summary>The state before the first step: step 0 and zero moments shaped like each parameter (and a zero v̂ with AMSGrad).</summary>
    public static AdamState<T> Init<T>(Params<T> parameters, AdamOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var zero = OptimizerSlots.ZerosLike(parameters);
        return new AdamState<T>(0, zero, zero) { MaxExpAvgSq = options?.AmsGrad == true ? zero : Params<T>.Empty };
    }

    /// <summary>
    /// One step: the updated parameters and state. Every parameter is updated, including one whose gradient is zero
    /// (its moments still decay and it still moves along m), as PyTorch does for a zero <c>.grad</c>. With AMSGrad, a
    /// state without v̂ (from a checkpoint written without it) starts v̂ at zero.
    /// </summary>
    /// <param name="parameters">θ, by name.</param>
    /// <param name="gradients">∂loss/∂θ with the same names and shapes.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or the previous step.</param>
    /// <param name="options">Hyper-parameters; <see cref="AdamOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">Names or shapes disagree, or a parameter or gradient holds a NaN or an infinity.</exception>
    public static OptimizerStep<T, AdamState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdamState<T> state, AdamOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Step(parameters, gradients, state, options ?? AdamOptions.Default, "Adam.Step");

    internal static OptimizerStep<T, AdamState<T>> Step<T>(Params<T> parameters, Params<T> gradients, AdamState<T> state,
        AdamOptions options, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        OptimizerSlots.RequireGradients(parameters, gradients, operation);
        OptimizerSlots.RequireFullSlot(parameters, state.ExpAvg, "exp_avg", operation);
        OptimizerSlots.RequireFullSlot(parameters, state.ExpAvgSq, "exp_avg_sq", operation);
        OptimizerSlots.RequireSlot(parameters, state.MaxExpAvgSq, "max_exp_avg_sq", operation);

        long step = state.Step + 1;
        double learningRate = options.LearningRate, weightDecay = options.WeightDecay;
        bool decoupled = options.DecoupledWeightDecay;
        // The scalar coefficients in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(options.Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(options.Beta2, step);
        T stepSize = T.CreateChecked(-(learningRate / biasCorrection1));
        T biasCorrection2Sqrt = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T b1 = T.CreateChecked(options.Beta1), oneMinusB1 = T.CreateChecked(1 - options.Beta1);
        T b2 = T.CreateChecked(options.Beta2), oneMinusB2 = T.CreateChecked(1 - options.Beta2);
        T eps = T.CreateChecked(options.Epsilon), l2 = T.CreateChecked(weightDecay);
        T decayFactor = T.CreateChecked(1 - learningRate * weightDecay);

        var newParameters = Params<T>.Empty;
        var newExpAvg = Params<T>.Empty;
        var newExpAvgSq = Params<T>.Empty;
        var newMaxExpAvgSq = Params<T>.Empty;
        foreach (var (name, parameter) in parameters)
        {
            var theta = parameter;
            var g = options.Maximize ? -gradients[name] : gradients[name];
            if (weightDecay != 0)
            {
                if (decoupled) theta = theta * decayFactor;
                else g = g + theta * l2;
            }
            var m = state.ExpAvg[name] * b1 + g * oneMinusB1;
            var v = state.ExpAvgSq[name] * b2 + g * oneMinusB2 * g;
            var secondMoment = v;
            if (options.AmsGrad)
            {
                // v̂ never decreases, so the step size per coordinate never grows (Reddi et al. 2018, Algorithm 2).
                secondMoment = state.MaxExpAvgSq.Contains(name) ? Maximum(state.MaxExpAvgSq[name], v) : v;
                newMaxExpAvgSq = newMaxExpAvgSq.Add(name, secondMoment);
            }
            else if (state.MaxExpAvgSq.Contains(name))
            {
                newMaxExpAvgSq = newMaxExpAvgSq.Add(name, state.MaxExpAvgSq[name]);
            }
            var denominator = Tensor.Sqrt(secondMoment) / biasCorrection2Sqrt + eps;
            // PyTorch's addcdiv: θ + (value·m) / denominator.
            newParameters = newParameters.Add(name, theta + m * stepSize / denominator);
            newExpAvg = newExpAvg.Add(name, m);
            newExpAvgSq = newExpAvgSq.Add(name, v);
        }
        return new OptimizerStep<T, AdamState<T>>(newParameters,
            new AdamState<T>(step, newExpAvg, newExpAvgSq) { MaxExpAvgSq = newMaxExpAvgSq });
    }

    // torch.maximum elementwise; the state is never traced, so the plain values suffice.
    private static Tensor<T> Maximum<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[a.Size];
        TensorPrimitives.Max<T>(a.Value.Span, b.Value.Span, result);
        return Tensor.FromArray(result, a.Shape.ToArray());
    }
}

/// <summary>
/// Hyper-parameters of <see cref="Adam"/>, with PyTorch's defaults (<c>torch.optim.Adam</c>; <see cref="AdamW"/> for
/// <c>torch.optim.AdamW</c>'s). Immutable; each field is checked when set (a value out of range throws, naming the
/// field, the range and the value). Change a field with its <c>With…</c> method (from F#) or a C# <c>with</c> expression.
/// </summary>
public sealed record AdamOptions
{
    /// <summary>PyTorch's defaults: learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay, no AMSGrad, minimizing.</summary>
    public static AdamOptions Default { get; } = new();

    /// <summary><c>torch.optim.AdamW</c>'s defaults: as <see cref="Default"/>, with decoupled weight decay 1e-2.</summary>
    public static AdamOptions AdamW { get; } = new() { DecoupledWeightDecay = true, WeightDecay = 1e-2 };

    /// <summary>The learning rate (PyTorch's <c>lr</c>, default 1e-3). Must be finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double LearningRate { get; init => field = Require.NonNegative(value, nameof(LearningRate), "AdamOptions"); } = 1e-3;

    /// <summary>β₁, the decay of the running mean of gradients (default 0.9). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta1 { get; init => field = Require.UnitInterval(value, nameof(Beta1), "AdamOptions"); } = 0.9;

    /// <summary>β₂, the decay of the running mean of squared gradients (default 0.999). Must be in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not in [0, 1).</exception>
    public double Beta2 { get; init => field = Require.UnitInterval(value, nameof(Beta2), "AdamOptions"); } = 0.999;

    /// <summary>ε, added to the denominator after bias correction (default 1e-8). Must be finite and &gt; 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and &gt; 0.</exception>
    public double Epsilon { get; init => field = Require.Positive(value, nameof(Epsilon), "AdamOptions"); } = 1e-8;

    /// <summary>
    /// The weight decay λ (default 0; 1e-2 in <see cref="AdamW"/>): an L2 penalty added to the gradient, g ← g + λ·θ, or,
    /// with <see cref="DecoupledWeightDecay"/>, θ ← θ·(1 − lr·λ) before the step. Must be finite and ≥ 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not finite and ≥ 0.</exception>
    public double WeightDecay { get; init => field = Require.NonNegative(value, nameof(WeightDecay), "AdamOptions"); }

    /// <summary>AdamW: apply <see cref="WeightDecay"/> to the parameters, decoupled from the gradient (PyTorch's <c>decoupled_weight_decay</c>; default false).</summary>
    public bool DecoupledWeightDecay { get; init; }

    /// <summary>AMSGrad: divide by the running maximum of v instead of v (PyTorch's <c>amsgrad</c>; default false). Adds <c>max_exp_avg_sq</c> to the state.</summary>
    public bool AmsGrad { get; init; }

    /// <summary>Maximize the objective: step along +g instead of −g (PyTorch's <c>maximize</c>; default false).</summary>
    public bool Maximize { get; init; }

    /// <summary>These options with <see cref="LearningRate"/> replaced.</summary>
    public AdamOptions WithLearningRate(double learningRate) => this with { LearningRate = learningRate };

    /// <summary>These options with <see cref="Beta1"/> and <see cref="Beta2"/> replaced.</summary>
    public AdamOptions WithBetas(double beta1, double beta2) => this with { Beta1 = beta1, Beta2 = beta2 };

    /// <summary>These options with <see cref="Epsilon"/> replaced.</summary>
    public AdamOptions WithEpsilon(double epsilon) => this with { Epsilon = epsilon };

    /// <summary>These options with <see cref="WeightDecay"/> replaced.</summary>
    public AdamOptions WithWeightDecay(double weightDecay) => this with { WeightDecay = weightDecay };

    /// <summary>These options with <see cref="DecoupledWeightDecay"/> replaced.</summary>
    public AdamOptions WithDecoupledWeightDecay(bool decoupled) => this with { DecoupledWeightDecay = decoupled };

    /// <summary>These options with <see cref="AmsGrad"/> replaced.</summary>
    public AdamOptions WithAmsGrad(bool amsGrad) => this with { AmsGrad = amsGrad };

    /// <summary>These options with <see cref="Maximize"/> replaced.</summary>
    public AdamOptions WithMaximize(bool maximize) => this with { Maximize = maximize };
}

/// <summary>
/// The state of <see cref="Adam"/>: the step count and the running moments of every parameter. Immutable: a step
/// returns a new state.
/// </summary>
/// <param name="Step">How many steps have been taken (t in the bias corrections 1 − βᵗ).</param>
/// <param name="ExpAvg">The running mean of gradients m, by parameter name (PyTorch's <c>exp_avg</c>).</param>
/// <param name="ExpAvgSq">The running mean of squared gradients v, by parameter name (PyTorch's <c>exp_avg_sq</c>).</param>
public sealed record AdamState<T>(long Step, Params<T> ExpAvg, Params<T> ExpAvgSq) : OptimizerState<T>(Step)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The running maximum v̂ of <see cref="ExpAvgSq"/> with AMSGrad, else empty (PyTorch's <c>max_exp_avg_sq</c>).</summary>
    public Params<T> MaxExpAvgSq { get; init => field = value ?? throw new ArgumentNullException(nameof(MaxExpAvgSq)); } = Params<T>.Empty;

    /// <summary>
    /// The state as one named collection, for checkpoints: <c>exp_avg.{parameter}</c>, then <c>exp_avg_sq.{parameter}</c>,
    /// then <c>max_exp_avg_sq.{parameter}</c> with AMSGrad, then <c>step</c> (a scalar holding the step count).
    /// </summary>
    /// <exception cref="InvalidOperationException">The step count is not exactly representable in <typeparamref name="T"/> (above 2^24 for float).</exception>
    public override Params<T> ToParams() =>
        OptimizerSlots.Join(Step, ("exp_avg", ExpAvg), ("exp_avg_sq", ExpAvgSq), ("max_exp_avg_sq", MaxExpAvgSq));

    /// <summary>The state that <see cref="ToParams"/> wrote.</summary>
    /// <exception cref="ArgumentException">No <c>step</c>, or a name that is not a state tensor.</exception>
    public static AdamState<T> FromParams(Params<T> tensors)
    {
        var (step, slots) = OptimizerSlots.Split(tensors, "AdamState.FromParams", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        return new AdamState<T>(step, slots[0], slots[1]) { MaxExpAvgSq = slots[2] };
    }

    /// <summary>This state with <see cref="OptimizerState{T}.Step"/> replaced.</summary>
    public AdamState<T> WithStep(long step) => this with { Step = step };
}

/// <summary><see cref="Adam"/> as an <see cref="IOptimizer"/>.</summary>
internal sealed record AdamOptimizer(AdamOptions Options) : IOptimizer
{
    public OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T> => Adam.Init(parameters, Options);

    public OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (next, nextState) = Adam.Step(parameters, gradients, OptimizerSlots.RequireState<T, AdamState<T>>(state, "Adam"), Options, "Adam.Update");
        return new(next, nextState);
    }

    public OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T> => AdamState<T>.FromParams(tensors);

    public IOptimizer WithLearningRate(double learningRate) => this with { Options = Options.WithLearningRate(learningRate) };

    public override string ToString() => $"Adam({Options})";
}
