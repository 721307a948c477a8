using System.Globalization;
using System.Numerics;
using System.Text;

namespace Autograd.Rnn;

/// <summary>
/// Shows the computation graph a function builds: the ops, their result shapes and the parameters they read, in
/// Graphviz DOT (render with <c>dot -Tsvg graph.dot -o graph.svg</c>). The function is traced once, as
/// <see cref="Grad"/> traces it, and not differentiated.
/// </summary>
public static class Graph
{
    /// <summary>
    /// The graph of <paramref name="function"/> at <paramref name="parameters"/> as a DOT digraph: one box per parameter
    /// (its name and shape), one ellipse per op (its name and result shape), edges from inputs to ops, the output drawn
    /// with a double border. Constants an op reads are counted in its label ("+1 constant"), not drawn.
    /// </summary>
    /// <param name="function">Any tensor-valued function of the parameters.</param>
    /// <param name="parameters">Where to trace it.</param>
    public static string ToDot<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        var level = Grad.NewLevel();
        try
        {
            var leaves = Array.ConvertAll(parameters.Tensors(), input => Tensor<T>.Leaf(input.Live, level));
            var names = new Dictionary<Node<T>, string>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < leaves.Length; i++) names[leaves[i].Node!] = parameters.Names[i];
            var output = function(parameters.WithTensors(leaves)) ?? throw new ArgumentException("Graph.ToDot: the function returned null.", nameof(function));
            return Write(output.Live, level, names);
        }
        finally
        {
            Grad.End(level);
        }
    }

    /// <summary><see cref="ToDot{T}(Func{Params{T}, Tensor{T}}, Params{T})"/> with the parameters first (the form F# infers).</summary>
    public static string ToDot<T>(Params<T> parameters, Func<Params<T>, Tensor<T>> function) where T : unmanaged, IFloatingPointIeee754<T> =>
        ToDot(function, parameters);

    /// <summary>The graph of a function of one tensor, whose box is labelled "input".</summary>
    public static string ToDot<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return ToDot(p => function(p["input"]), Params<T>.Empty.Add("input", input));
    }

    /// <summary><see cref="ToDot{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T})"/> with the input first (the form F# infers).</summary>
    public static string ToDot<T>(Tensor<T> input, Func<Tensor<T>, Tensor<T>> function) where T : unmanaged, IFloatingPointIeee754<T> =>
        ToDot(function, input);

    // Walks the output's level iteratively (graphs of long sequences are deep) and numbers nodes as it finds them.
    private static string Write<T>(Tensor<T> output, Level level, Dictionary<Node<T>, string> names) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = new StringBuilder("digraph computation {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        if (output.Node is null || output.Node.Level != level)
        {
            text.Append(CultureInfo.InvariantCulture, $"  n0 [label=\"constant\\n{output.Shape}\", shape=note, peripheries=2];\n}}\n");
            return text.ToString();
        }
        var ids = new Dictionary<Node<T>, int>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor<T>>();
        ids[output.Node] = 0;
        stack.Push(output);
        var edges = new StringBuilder();
        while (stack.Count > 0)
        {
            var tensor = stack.Pop();
            var node = tensor.Node!;
            int id = ids[node];
            int constants = 0;
            foreach (var input in node.Inputs)
            {
                if (input is null) { constants++; continue; }
                if (!ids.TryGetValue(input.Node!, out int inputId))
                {
                    ids[input.Node!] = inputId = ids.Count;
                    stack.Push(input);
                }
                edges.Append(CultureInfo.InvariantCulture, $"  n{inputId} -> n{id};\n");
            }
            string extra = id == 0 ? ", peripheries=2" : "";
            if (node.IsLeaf)
            {
                string name = names.TryGetValue(node, out var n) ? n : "leaf";
                text.Append(CultureInfo.InvariantCulture, $"  n{id} [label=\"{Escape(name)}\\n{tensor.Shape}\", shape=box, style=filled, fillcolor=\"#dbe9f6\"{extra}];\n");
            }
            else
            {
                string slice = node.Slice is NarrowSlice s ? $" (axis {s.Axis}, {s.Start}..{s.Start + s.Length})" : "";
                string constant = constants == 0 ? "" : constants == 1 ? "\\n+1 constant" : $"\\n+{constants} constants";
                text.Append(CultureInfo.InvariantCulture, $"  n{id} [label=\"{Escape(node.Operation + slice)}\\n{tensor.Shape}{constant}\"{extra}];\n");
            }
        }
        return text.Append(edges).Append("}\n").ToString();
    }

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
