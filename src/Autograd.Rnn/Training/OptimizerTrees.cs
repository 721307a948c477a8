using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Optimizer steps over parameter trees (records, classes and collections of tensors; see <see cref="ParamTree"/>): the
/// step runs on the trees' <see cref="Params{T}"/> views, so it computes the same bits as the flat step, and the
/// state is the flat step's state, named by dotted paths (so it saves and loads as any other).
/// </summary>
public static class OptimizerTreeExtensions
{
    /// <summary>
    /// The state before the first step for the tensors of <paramref name="tree"/> (C#: <c>optimizer.InitTree&lt;float&gt;(model)</c>;
    /// F#: <c>optimizer.InitTree&lt;float32&gt; model</c>): <see cref="IOptimizer.Init{T}"/> of <see cref="ParamTree.ToParams{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The tree holds something a tree may not (the message names the path).</exception>
    public static OptimizerState<T> InitTree<T>(this IOptimizer optimizer, object tree) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.Init(ParamTree.ToParams<T>(tree));
    }

    /// <summary>
    /// One step over a tree: the updated tree (same type, constants carried over from <paramref name="parameters"/>) and the
    /// next state. Computes exactly <see cref="IOptimizer.Update{T}"/> on the trees' flat views.
    /// </summary>
    /// <param name="optimizer">Any optimizer, chained or not.</param>
    /// <param name="parameters">θ as a tree.</param>
    /// <param name="gradients">∂loss/∂θ as a tree of the same paths and shapes (what <see cref="Grad.ValueAndGradTree{TTree, T}"/> returns).</param>
    /// <param name="state">The state from <see cref="InitTree{T}"/> or the previous step.</param>
    /// <exception cref="ArgumentException">The trees' paths or shapes disagree, or anything <see cref="IOptimizer.Update{T}"/> refuses.</exception>
    public static TreeOptimizerStep<TTree, T> UpdateTree<TTree, T>(this IOptimizer optimizer, TTree parameters, TTree gradients, OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        const string operation = "IOptimizer.UpdateTree";
        var flat = ParamTree.ToParams<T>(parameters);
        var flatGradients = ParamTree.ToParams<T>(gradients);
        ParamTree.RequireMatch(flat, flatGradients, operation);
        var step = optimizer.Update(flat, flatGradients, state);
        return new TreeOptimizerStep<TTree, T>(ParamTree.Rebuild(parameters, step.Parameters, operation), step.State);
    }
}

/// <summary>What one optimizer step over a tree returns: the updated tree and the state for the next step.</summary>
/// <param name="Parameters">The tree after the update, of the same type, paths and shapes.</param>
/// <param name="State">The optimizer state after the update (its step count one higher).</param>
public sealed record TreeOptimizerStep<TTree, T>(TTree Parameters, OptimizerState<T> State) where T : unmanaged, IFloatingPointIeee754<T>;
