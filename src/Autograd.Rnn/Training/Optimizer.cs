using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Makes <see cref="IOptimizer"/> values and composes them. Each optimizer matches its torch.optim namesake step for
/// step; <see cref="Chain(IGradientTransform, IOptimizer, Schedule?)"/> puts gradient transforms (clipping) in front of
/// one and lets a <see cref="Schedule"/> set its learning rate, as Optax's <c>chain</c> does:
/// <code>
/// var optimizer = Optimizer.Chain(GradientTransform.ClipByGlobalNorm(1.0), Optimizer.Adam(), Schedule.Cosine(1e-3, 1000));
/// var state = optimizer.Init(parameters);
/// (parameters, state) = optimizer.Update(parameters, gradients, state);
/// </code>
/// </summary>
public static class Optimizer
{
    /// <summary>Stochastic gradient descent (<c>torch.optim.SGD</c>); see <see cref="Rnn.Sgd"/> for the update.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (Nesterov without momentum, or with dampening).</exception>
    public static IOptimizer Sgd(SgdOptions? options = null) => new SgdOptimizer(options ?? SgdOptions.Default);

    /// <summary>Adam, AdamW, AMSGrad (<c>torch.optim.Adam</c> and <c>AdamW</c>); see <see cref="Rnn.Adam"/> for the update.</summary>
    public static IOptimizer Adam(AdamOptions? options = null) => new AdamOptimizer(options ?? AdamOptions.Default);

    /// <summary>RMSProp (<c>torch.optim.RMSprop</c>); see <see cref="Rnn.RmsProp"/> for the update.</summary>
    public static IOptimizer RmsProp(RmsPropOptions? options = null) => new RmsPropOptimizer(options ?? RmsPropOptions.Default);

    /// <summary>Adagrad (<c>torch.optim.Adagrad</c>); see <see cref="Rnn.Adagrad"/> for the update.</summary>
    public static IOptimizer Adagrad(AdagradOptions? options = null) => new AdagradOptimizer(options ?? AdagradOptions.Default);

    /// <summary>
    /// <paramref name="optimizer"/> applied to the gradients after <paramref name="transform"/>, with its learning rate
    /// at each step read from <paramref name="schedule"/> when one is given: step t (state step t − 1) computes exactly
    /// <c>optimizer.WithLearningRate(schedule.At(state.Step)).Update(parameters, transform.Apply(gradients), state)</c>.
    /// The state is the optimizer's own (the transforms hold none, and the schedule reads the step count).
    /// </summary>
    /// <exception cref="ArgumentNullException">The transform or the optimizer is null.</exception>
    public static IOptimizer Chain(IGradientTransform transform, IOptimizer optimizer, Schedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return Chain([transform], optimizer, schedule);
    }

    /// <summary>
    /// <paramref name="optimizer"/> applied to the gradients after every transform of <paramref name="transforms"/>, in
    /// order, with its learning rate from <paramref name="schedule"/> when one is given; see
    /// <see cref="Chain(IGradientTransform, IOptimizer, Schedule?)"/>. An empty list and no schedule is the optimizer itself.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list, one of its transforms, or the optimizer is null.</exception>
    public static IOptimizer Chain(IEnumerable<IGradientTransform> transforms, IOptimizer optimizer, Schedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(optimizer);
        var list = transforms.ToArray();
        foreach (var transform in list) ArgumentNullException.ThrowIfNull(transform, nameof(transforms));
        return new ChainedOptimizer(list, optimizer, schedule);
    }

    /// <summary><paramref name="optimizer"/> with its learning rate at each step read from <paramref name="schedule"/>.</summary>
    /// <exception cref="ArgumentNullException">The optimizer or the schedule is null.</exception>
    public static IOptimizer Chain(IOptimizer optimizer, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Chain([], optimizer, schedule);
    }

    /// <summary>Transforms, then the optimizer at the schedule's rate; the state is the optimizer's.</summary>
    private sealed class ChainedOptimizer(IGradientTransform[] transforms, IOptimizer optimizer, Schedule? schedule) : IOptimizer
    {
        public OptimizerState<T> Init<T>(Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T> => optimizer.Init(parameters);

        public OptimizerStep<T, OptimizerState<T>> Update<T>(Params<T> parameters, Params<T> gradients, OptimizerState<T> state)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            ArgumentNullException.ThrowIfNull(gradients);
            ArgumentNullException.ThrowIfNull(state);
            foreach (var transform in transforms) gradients = transform.Apply(gradients);
            var inner = schedule is null ? optimizer : optimizer.WithLearningRate(schedule.At(state.Step));
            return inner.Update(parameters, gradients, state);
        }

        public OptimizerState<T> StateFromParams<T>(Params<T> tensors) where T : unmanaged, IFloatingPointIeee754<T> =>
            optimizer.StateFromParams(tensors);

        // Under a schedule the rate is the schedule's at every step: a fixed one would be overwritten before it is used.
        public IOptimizer WithLearningRate(double learningRate) => schedule is null
            ? new ChainedOptimizer(transforms, optimizer.WithLearningRate(learningRate), null)
            : throw new InvalidOperationException($"Optimizer.Chain: the learning rate comes from the schedule '{schedule.Name}'; chain without one to set it.");

        public override string ToString() =>
            $"Chain({string.Join(", ", transforms.Select(t => t.ToString()).Append(optimizer.ToString()).Append(schedule?.ToString()).OfType<string>())})";
    }
}
