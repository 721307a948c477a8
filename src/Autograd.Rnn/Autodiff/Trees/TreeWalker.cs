using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Walks a parameter tree of <see cref="Tensor{T}"/> leaves depth first, in member order, naming each leaf by its dotted
/// path. <see cref="Flatten"/> collects the leaves; <see cref="Rebuild"/> builds a tree of the template's shape with each
/// leaf replaced. Both see exactly the same leaves in the same order, so a flatten followed by a rebuild is the identity.
/// </summary>
internal static class TreeWalker<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The leaves of <paramref name="tree"/> under their dotted names, in walk order.</summary>
    public static Params<T> Flatten(object? tree, string operation)
    {
        var result = Params<T>.Empty;
        Walk(tree, typeof(object), "", operation, new HashSet<object>(ReferenceEqualityComparer.Instance), (path, leaf) =>
        {
            if (result.Contains(path))
                throw new ArgumentException($"{operation}: two tensors of the tree are named '{path}' (a dictionary key or Params name holding '.' " +
                                            "spells the same name as a nested path); rename one.");
            result = result.Add(path, leaf);
            return leaf;
        }, rebuild: false);
        return result;
    }

    /// <summary>A tree of <paramref name="template"/>'s types and constants whose leaf at each path is <paramref name="leaf"/>(path, template's leaf).</summary>
    public static object Rebuild(object template, string operation, Func<string, Tensor<T>, Tensor<T>> leaf) =>
        Walk(template, typeof(object), "", operation, new HashSet<object>(ReferenceEqualityComparer.Instance), leaf, rebuild: true)!;

    private static object? Walk(object? node, Type declared, string path, string operation, HashSet<object> onPath,
        Func<string, Tensor<T>, Tensor<T>> leaf, bool rebuild)
    {
        if (node is null)
        {
            if (TreeNodeKind.IsConstant(declared) || Nullable.GetUnderlyingType(declared) is not null) return null;
            throw Fail(operation, path, $"is null; a parameter tree holds no nulls (expected {Accepted})");
        }
        if (node is Tensor<T> tensor)
        {
            if (path.Length == 0) throw new ArgumentException($"{operation}: the tree is a lone tensor; pass a record, a collection or Params<{typeof(T).Name}> holding it.");
            return leaf(path, tensor);
        }
        if (node is Params<T> parameters)
        {
            bool changed = false;
            var mapped = parameters.Map((name, value) =>
            {
                var result = leaf(Join(path, name), value);
                changed |= !ReferenceEquals(result, value);
                return result;
            });
            return changed ? mapped : parameters;
        }
        var type = node.GetType();
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Tensor<>) || type.GetGenericTypeDefinition() == typeof(Params<>)))
            throw Fail(operation, path, $"is a {TreeNodeKind.TypeName(type)} in a tree of {typeof(T).Name} tensors; one tree holds one element type");
        var kind = TreeNodeKind.Of(type);
        if (kind is TreeNodeKind.UnsupportedKind && TreeCollections.AsArrayKind(type, declared) is { } asArray) kind = asArray;
        if (kind is TreeNodeKind.UnsupportedKind unsupported) throw Fail(operation, path, $"{unsupported.Reason}. A tree accepts {Accepted}");
        if (kind is TreeNodeKind.ConstantKind) return node;
        // A node met again below itself would walk forever; a node shared by two branches is walked twice, as two paths.
        if (!type.IsValueType && !onPath.Add(node)) throw Fail(operation, path, "refers back to a node that holds it (a cycle)");
        try
        {
            var children = kind.Children(node);
            var rebuilt = rebuild ? new object?[children.Count] : null;
            bool changed = false;
            for (int i = 0; i < children.Count; i++)
            {
                var child = children[i];
                if (child.Key.Length == 0) throw Fail(operation, path, "holds an empty dictionary key; keys become parts of dotted names");
                var value = Walk(child.Value, child.DeclaredType, Join(path, child.Key), operation, onPath, leaf, rebuild);
                if (rebuilt is not null) rebuilt[i] = value;
                changed |= !ReferenceEquals(value, child.Value);
            }
            // A node whose tensors all came back unchanged is kept as it is, as immutable collections do: a round trip
            // through the flat view then returns the very tree it started from (equal even where a type compares by reference).
            return rebuilt is null || !changed ? node : kind.Rebuild(node, rebuilt);
        }
        finally
        {
            if (!type.IsValueType) onPath.Remove(node);
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static ArgumentException Fail(string operation, string path, string problem) =>
        new($"{operation}: {(path.Length == 0 ? "the tree" : $"'{path}'")} {problem}.");

    /// <summary>What the messages list as accepted.</summary>
    internal static string Accepted =>
        $"Tensor<{typeof(T).Name}> leaves; Params<{typeof(T).Name}> (names kept); F# records, C# records and classes (public properties " +
        "set by a constructor taking them by name, or by setters); arrays, List, ImmutableArray, ImmutableList, ReadOnlyCollection and F# lists " +
        "(elements named by index); Dictionary, SortedDictionary, ImmutableDictionary, ImmutableSortedDictionary, ReadOnlyDictionary and F# maps " +
        "with string keys; and constants carried over unchanged: primitives, enums, strings, decimals and collections of them";
}
