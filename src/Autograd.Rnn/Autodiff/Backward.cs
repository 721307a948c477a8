using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// The reverse sweep: orders the nodes of one level that the output depends on (iteratively, so graphs of
/// thousands of time steps cannot overflow the stack), then pushes cotangents from the output back to the
/// leaves, summing where a node feeds more than one op.
/// </summary>
internal static class Backward
{
    /// <summary>The cotangents of <paramref name="leaves"/> (zeros where the output does not depend on a leaf).</summary>
    public static Tensor<T>[] Run<T>(Tensor<T> output, Tensor<T> seed, long tag, Tensor<T>[] leaves)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cotangents = new Dictionary<Node<T>, Tensor<T>>(ReferenceEqualityComparer.Instance);
        if (output.Tag == tag)
        {
            var order = TopologicalOrder(output.Node!, tag);
            cotangents[output.Node!] = seed;
            for (int n = order.Count - 1; n >= 0; n--)
            {
                var node = order[n];
                if (node.IsLeaf || !cotangents.Remove(node, out var g)) continue;
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    var input = node.Inputs[i];
                    if (input is null) continue;
                    var contribution = node.Vjp!(g, i);
                    if (contribution.Shape != input.Shape)
                        throw new InvalidOperationException(
                            $"{node.Operation}: its VJP returned a cotangent of shape {contribution.Shape} for input {i} of shape {input.Shape}.");
                    var target = input.Node!;
                    cotangents[target] = cotangents.TryGetValue(target, out var sum) ? sum + contribution : contribution;
                }
            }
        }

        var result = new Tensor<T>[leaves.Length];
        for (int i = 0; i < leaves.Length; i++)
            result[i] = cotangents.TryGetValue(leaves[i].Node!, out var g) ? g : Tensor.ZerosLike(leaves[i]);
        return result;
    }

    // Post-order depth-first walk with an explicit stack: every node comes after all the nodes it consumes.
    private static List<Node<T>> TopologicalOrder<T>(Node<T> root, long tag) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new List<Node<T>>();
        var visited = new HashSet<Node<T>>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<(Node<T> Node, int NextInput)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Length)
            {
                stack.Push((node, next + 1));
                var input = node.Inputs[next];
                if (input is not null && input.Node!.Tag == tag && visited.Add(input.Node))
                    stack.Push((input.Node, 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }
}
