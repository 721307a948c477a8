using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Pushes an output cotangent back to one input of the op that made a node. Written with public tensor ops,
/// so the backward pass is itself differentiable at outer levels.
/// </summary>
internal delegate Tensor<T> VjpRule<T>(Tensor<T> outputCotangent, int inputIndex) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// One immutable vertex of a computation graph at one differentiation level (<see cref="Tag"/>).
/// A leaf has no inputs; an op node lists the inputs that were traced at the same level (null for inputs that
/// are constants at this level) and the rule that sends cotangents to them.
/// </summary>
internal sealed class Node<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Node(long tag, string operation, Tensor<T>?[] inputs, VjpRule<T>? vjp)
    {
        Tag = tag;
        Operation = operation;
        Inputs = inputs;
        Vjp = vjp;
    }

    /// <summary>The differentiation level: one per <see cref="Grad"/> call, increasing with nesting.</summary>
    public long Tag { get; }

    /// <summary>The op's name, for messages.</summary>
    public string Operation { get; }

    public Tensor<T>?[] Inputs { get; }

    public VjpRule<T>? Vjp { get; }

    public bool IsLeaf => Vjp is null;
}
