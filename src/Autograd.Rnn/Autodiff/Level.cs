namespace Autograd.Rnn;

/// <summary>
/// One differentiation level: the lifetime of one <see cref="Grad"/> call. A reverse level records a graph that one
/// sweep reads backwards; a forward level (<see cref="IsForward"/>, from <see cref="Grad.Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/>)
/// records no graph: each of its tensors carries its tangent, computed as the op runs. Its id orders levels (a nested call's id is
/// always later than its enclosing call's). A level ends when its call returns; no sweep will ever read its nodes
/// again, so a tensor still traced at an ended level — one that escaped its call through a closure, like an inner
/// forward value reused by the outer function or a recurrent state carried to the next training step — behaves as its
/// primal there: ops strip ended levels before they look at tags. Without this, the escaped node hides the live
/// levels under it (the outer sweep finds a node of another level and returns zeros) and every later op re-records
/// itself once per ended level (the cost of a carried state grew with each step).
/// </summary>
internal sealed class Level(long id, int depth, bool planning = false, bool forward = false, bool batching = false)
{
    private volatile bool ended;
    private volatile string? unplannable;
    private List<Action>? whenEnded;

    public long Id { get; } = id;

    /// <summary>
    /// The arena lent on the thread when the level started (<see cref="ValueArena"/>): none is lent while the level runs, as
    /// its values (a plan's constants, a nested call's results) may outlive the sweep that lent it; restored when it ends.
    /// </summary>
    internal IValueArena? ArenaBefore { get; init; }

    /// <summary>How many <see cref="Grad"/> calls were running on this thread when this one started, plus one: 1 for an outermost call.</summary>
    public int Depth { get; } = depth;

    public bool IsLive => !ended;

    /// <summary>
    /// Whether this level records a plan (<c>Plans/</c>) rather than serving a <see cref="Grad"/> call: its nodes also keep
    /// each op's replayable forward step (<see cref="PlanStep{T}"/>), and no sweep ever runs over it.
    /// </summary>
    public bool IsPlanning { get; } = planning;

    /// <summary>
    /// For a planning level: why the function it records cannot be replayed (it read a traced value, or mixed in a
    /// tensor traced by another live level), or null while it can. The first reason is kept.
    /// </summary>
    public string? Unplannable => unplannable;

    /// <summary>
    /// Whether this level serves a forward-mode call (<see cref="Grad.Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/>):
    /// its nodes hold a tangent (<see cref="Node{T}.Tangent"/>) instead of inputs and a VJP, and no sweep ever runs over it.
    /// </summary>
    public bool IsForward { get; } = forward;

    /// <summary>
    /// Whether this level serves a <see cref="Grad.Vmap{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, int, int)"/> call: each of its
    /// tensors stands for a batch of tensors of its shape, held one level down with one extra axis (<see cref="Node{T}.BatchAxis"/>),
    /// and each op runs once on the whole batch through its batching rule. No graph is recorded and no sweep runs over it.
    /// </summary>
    public bool IsBatching { get; } = batching;

    public void MarkUnplannable(string reason) => unplannable ??= reason;

    /// <summary>
    /// Runs <paramref name="action"/> when this level ends, after its sweep: how a planned op hands back buffers that only
    /// its own VJP reads (<see cref="LevelScratch"/>). Runs at once if the level has already ended.
    /// </summary>
    public void WhenEnded(Action action)
    {
        lock (this)
        {
            if (!ended)
            {
                (whenEnded ??= []).Add(action);
                return;
            }
        }
        action();
    }

    public void End()
    {
        List<Action>? actions;
        lock (this)
        {
            ended = true;
            actions = whenEnded;
            whenEnded = null;
        }
        if (actions is null) return;
        foreach (var action in actions) action();
    }
}
