using System.Numerics;

namespace Autograd.Rnn;

// Gradient checks over parameter trees: the check runs on the tree's Params<T> view, so entries are reported under
// their dotted paths (`readout.weight[0,1]`). Named RunTree, not Run, and tree first only, for the reasons given in GradTrees.cs.
public static partial class GradCheck
{
    /// <summary>
    /// Checks the gradient of <paramref name="function"/> with respect to every tensor of <paramref name="tree"/> (a record,
    /// class or collection of tensors; see <see cref="ParamTree"/>); entries are named by their dotted paths. Tree first,
    /// the form F# infers without annotations: <c>GradCheck.RunTree(model, fun m -> ...)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The tree holds something a tree may not (the message names the path).</exception>
    public static GradCheckResult RunTree<TTree, T>(TTree tree, Func<TTree, Tensor<T>> function, GradCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(function);
        return Run(p => function(ParamTree.Rebuild(tree, p, "GradCheck.RunTree")), ParamTree.ToParams<T>(tree), options);
    }
}
