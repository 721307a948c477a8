using System.Numerics;

namespace Autograd.Rnn;

// Gradients over parameter trees (records, classes and collections of tensors; see ParamTree): the tree is flattened to
// its Params<T> view by dotted path, differentiated exactly as that Params<T> would be, and the gradients are rebuilt as
// the same tree type, so the two paths agree bit for bit. The methods are named ...Tree rather than overloading
// ValueAndGrad and Gradient: F# does not rank Params<T> above a bare type parameter TTree, so a generic overload made every
// existing F# call `Grad.ValueAndGrad(parameters, fun p -> ...)` ambiguous (FS0041). And there is one form, tree first:
// with a function-first twin, a call whose tree F# has not typed yet (inside a fold) matches both and is ambiguous too.
public static partial class Grad
{
    /// <summary>
    /// The value of <paramref name="function"/> at <paramref name="tree"/> and its gradient with respect to every tensor of
    /// the tree, returned as a tree of the same type (same paths and shapes; constants carried over from
    /// <paramref name="tree"/>). See <see cref="ParamTree"/> for what a tree may hold. F#: <c>Grad.ValueAndGradTree(model, fun m -> loss m)</c>
    /// infers <c>m</c>'s type with no annotation.
    /// </summary>
    /// <param name="tree">Where to evaluate: an F# record, a C# record or class, a list or map of them, … of <see cref="Tensor{T}"/>.</param>
    /// <param name="function">Maps the tree to a scalar (a tensor of one element).</param>
    /// <exception cref="ArgumentException">The function returned more than one element, or the tree holds something a tree may not (the message names the path).</exception>
    public static TreeGradientResult<TTree, T> ValueAndGradTree<TTree, T>(TTree tree, Func<TTree, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(function);
        const string operation = "Grad.ValueAndGradTree";
        var result = ValueAndGrad(p => function(ParamTree.Rebuild(tree, p, operation)), ParamTree.ToParams<T>(tree));
        return new TreeGradientResult<TTree, T>(result.Value, ParamTree.Rebuild(tree, result.Gradients, operation));
    }

    /// <summary>The gradient of a scalar function of a tree, as a tree of the same type (see <see cref="ValueAndGradTree{TTree, T}"/>).</summary>
    public static TTree GradientTree<TTree, T>(TTree tree, Func<TTree, Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => ValueAndGradTree(tree, function).Gradients;
}

/// <summary>A function's value and its gradient with respect to every tensor of a parameter tree.</summary>
/// <param name="Value">The function's value (a one-element tensor).</param>
/// <param name="Gradients">∂value/∂tensor at each path of the tree, as a tree of the same type (constants carried over).</param>
public sealed record TreeGradientResult<TTree, T>(Tensor<T> Value, TTree Gradients) where T : unmanaged, IFloatingPointIeee754<T>;
