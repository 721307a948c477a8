using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// A function with its plans, one per set of input shapes (or the reason a set of shapes runs eagerly): an inference plan
/// for untraced calls, a forward and a backward plan for calls under one <see cref="Grad"/> level. With a
/// <paramref name="capacity"/>, only the plans of that many most recently used sets of shapes are kept (a cell's input
/// projection sees a new last block with every sequence length).
/// </summary>
internal sealed class CompiledFunction<T>(Func<Tensor<T>[], Tensor<T>[]> function, int capacity = int.MaxValue)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly KeptPlans<Plan<T>> plans = new(capacity);
    private readonly KeptPlans<StepVjpPlan<T>> trainingPlans = new(capacity);

    /// <summary>How many sets of input shapes were recorded.</summary>
    public int Recordings { get; private set; }

    /// <summary>How many sets of input shapes were recorded with their VJP, for calls under a <see cref="Grad"/> level.</summary>
    public int TrainingRecordings { get; private set; }

    /// <summary>Why the latest recording could not be planned, or null.</summary>
    public string? LastReason { get; private set; }

    public Tensor<T>[] Invoke(Tensor<T>[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"Compile: input {i} is null.");
        if (PlannedCall.LevelFor(inputs) is { } level) return Train(inputs, level);
        if (!PlanRecorder.CanPlan<T>(inputs) || !Monitor.TryEnter(plans)) return Eager(inputs);
        try
        {
            string key = Key(inputs);
            if (plans.TryGet(key, out var plan)) return plan is null ? Eager(inputs) : plan.Run(inputs);
            var recording = PlanRecorder.Record(function, inputs);
            plans.Add(key, recording.Plan);
            Recordings++;
            LastReason = recording.Reason;
            return recording.Results;
        }
        finally
        {
            Monitor.Exit(plans);
        }
    }

    // Under one Grad level: the function and its VJP as plans, recorded as one op (PlannedCall); one result only.
    private Tensor<T>[] Train(Tensor<T>[] inputs, Level level)
    {
        if (!Monitor.TryEnter(trainingPlans)) return Eager(inputs);
        try
        {
            string key = Key(inputs);
            var primals = PlannedCall.Primals(inputs, level);
            if (!trainingPlans.TryGet(key, out var plan))
            {
                plan = StepVjpPlan<T>.RecordFunction(function, primals, out var reason);
                if (plan is not null && plan.Parts != 1) (plan, reason) = (null, "planned training takes functions with one result");
                // A product plus at most one elementwise op per result element (a bias) saves at most one pass over the
                // result, while the plan's VJP hands the sweep a weight-sized gradient per call where the eager product's
                // adds into one buffer for all calls: the eager ops are as fast.
                else if (plan is not null && plan.Forward.FusedElementOps <= plan.Forward.OutputShape(0).Size)
                    (plan, reason) = (null, "at most one fused elementwise op per result element: the eager ops are as fast");
                trainingPlans.Add(key, plan);
                TrainingRecordings++;
                LastReason = reason;
            }
            return plan is null ? Eager(inputs) : [PlannedCall.Run(plan, inputs, primals, level)];
        }
        finally
        {
            Monitor.Exit(trainingPlans);
        }
    }

    private Tensor<T>[] Eager(Tensor<T>[] inputs) =>
        function((Tensor<T>[])inputs.Clone()) ?? throw new InvalidOperationException("Compile: the function returned null.");

    private static string Key(Tensor<T>[] inputs) => string.Join(";", Array.ConvertAll(inputs, input => input.Shape.ToString()));
}

/// <summary>
/// Plans (or null: that set of shapes runs eagerly) by their key of input shapes; with a capacity, only the most recently
/// used that many are kept. Not thread-safe: the compiled function holds its lock while it uses them.
/// </summary>
internal sealed class KeptPlans<TPlan>(int capacity) where TPlan : class
{
    private readonly Dictionary<string, TPlan?> plans = [];
    // Keys, least recently used first; tracked only under a capacity.
    private readonly List<string> order = [];

    public bool TryGet(string key, out TPlan? plan)
    {
        if (!plans.TryGetValue(key, out plan)) return false;
        Touch(key);
        return true;
    }

    public void Add(string key, TPlan? plan)
    {
        if (capacity < int.MaxValue && plans.Count >= capacity)
        {
            plans.Remove(order[0]);
            order.RemoveAt(0);
        }
        plans[key] = plan;
        Touch(key);
    }

    private void Touch(string key)
    {
        if (capacity == int.MaxValue) return;
        order.Remove(key);
        order.Add(key);
    }
}
