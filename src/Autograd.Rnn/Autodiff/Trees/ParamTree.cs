using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Converts parameter trees — F# records, C# records and classes of tensors, and lists, arrays and maps of them, nested
/// to any depth — to and from <see cref="Params{T}"/>, the flat view that <see cref="Grad"/>, optimizers and checkpoints
/// work on. A tensor's name is its dotted field path, keeping the names as declared: <c>encoder.weight_ih_l0</c> for a
/// record field <c>encoder</c> holding a layer's <see cref="Params{T}"/>, <c>layers.0.weight</c> for the first element
/// of a list field <c>layers</c>, <c>heads.french.bias</c> for a map field <c>heads</c> with the key <c>french</c>.
/// </summary>
/// <remarks>
/// <para>Leaves are <see cref="Tensor{T}"/> of one element type. Nodes are <see cref="Params{T}"/> (its names kept under
/// the node's path), records and classes (the parameters of a public constructor that name properties, then the properties
/// with public setters; get-only properties no constructor parameter names are computed and skipped), arrays,
/// <c>List</c>, <c>ImmutableArray</c>, <c>ImmutableList</c>, <c>ReadOnlyCollection</c>, F# lists, and string-keyed
/// <c>Dictionary</c>, <c>SortedDictionary</c>, <c>ImmutableDictionary</c>, <c>ImmutableSortedDictionary</c>,
/// <c>ReadOnlyDictionary</c> and F# maps (children in ordinal key order). Each node is rebuilt as the type it came as.</para>
/// <para>Configuration values in a tree — primitives, enums, strings, decimals and collections of them, such as
/// <c>int hiddenSize</c> — are constants: they have no name in the flat view, and every tree built from a template carries
/// the template's values over unchanged (so a gradient tree holds the model's configuration, not zeros). Nulls,
/// delegates, interfaces and <c>object</c> members holding other types, public fields, and classes that cannot be rebuilt
/// are refused, naming the path. The reflection behind a type is done once and cached.</para>
/// </remarks>
public static class ParamTree
{
    /// <summary>
    /// The tensors of <paramref name="tree"/> under their dotted paths, in declaration order (C#:
    /// <c>ParamTree.ToParams&lt;float&gt;(model)</c>; F#: <c>ParamTree.ToParams&lt;float32&gt; model</c>).
    /// </summary>
    /// <param name="tree">A tree of <see cref="Tensor{T}"/> leaves (see <see cref="ParamTree"/> for what it may hold).</param>
    /// <exception cref="ArgumentException">
    /// The tree holds a null, a member of a type it does not accept, a tensor of another element type, or two tensors
    /// whose paths spell the same name; the message names the path.
    /// </exception>
    public static Params<T> ToParams<T>(object tree) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tree);
        return TreeWalker<T>.Flatten(tree, "ParamTree.ToParams");
    }

    /// <summary>
    /// A tree of <paramref name="template"/>'s type and constants holding the tensors of <paramref name="parameters"/>,
    /// matched by dotted path: the inverse of <see cref="ToParams{T}"/>. Every node whose tensors are all the template's
    /// own is the template's node itself (no copy), so <c>FromParams(tree, ToParams(tree))</c> is <c>tree</c>; every other
    /// node is a new value of the template node's type.
    /// </summary>
    /// <param name="template">Gives the tree's types, the paths, the expected shapes and the constants; its tensors are not used.</param>
    /// <param name="parameters">Exactly the template's names, each with the template's shape (any order).</param>
    /// <exception cref="ArgumentException">
    /// A name is missing, misspelt or extra, or a shape differs; the message lists every such path with the expected and
    /// actual shapes. Or the template itself is not a tree (see <see cref="ToParams{T}"/>).
    /// </exception>
    public static TTree FromParams<TTree, T>(TTree template, Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        const string operation = "ParamTree.FromParams";
        RequireMatch(ToParams<T>(template), parameters, operation);
        return Rebuild(template, parameters, operation);
    }

    /// <summary>The template rebuilt with the tensors of a collection already known to match it (names and shapes).</summary>
    internal static TTree Rebuild<TTree, T>(TTree template, Params<T> parameters, string operation) where T : unmanaged, IFloatingPointIeee754<T> =>
        (TTree)TreeWalker<T>.Rebuild(template!, operation, (path, _) => parameters[path]);

    /// <summary>
    /// The element type of the first tensor met in walk order (<c>float</c> for a tree without tensors, whose files hold
    /// nothing); the typed walk that follows refuses any tensor of another element type.
    /// </summary>
    internal static Type ElementType(object tree)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(tree);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            var type = node.GetType();
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Tensor<>) || type.GetGenericTypeDefinition() == typeof(Params<>)))
                return type.GetGenericArguments()[0];
            if (!type.IsValueType && !seen.Add(node)) continue;
            var kind = TreeNodeKind.Of(type);
            if (kind is TreeNodeKind.ConstantKind) continue;
            // Items of a collection held under an interface (see TreeCollections.AsArrayKind) are looked into too.
            var children = kind is TreeNodeKind.UnsupportedKind
                ? node is System.Collections.IEnumerable items ? items.Cast<object?>().ToArray() : []
                : kind.Children(node).Select(child => child.Value).ToArray();
            // Pushed last to first, so the first child is looked at first.
            for (int i = children.Length - 1; i >= 0; i--)
                if (children[i] is { } child) pending.Push(child);
        }
        return typeof(float);
    }

    /// <summary>Throws one exception listing every name missing from, or extra in, <paramref name="actual"/>, and every shape that differs.</summary>
    internal static void RequireMatch<T>(Params<T> expected, Params<T> actual, string operation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var problems = new List<string>();
        var missing = expected.Names.Where(name => !actual.Contains(name)).Select(name => $"'{name}' {expected[name].Shape}").ToList();
        var extra = actual.Names.Where(name => !expected.Contains(name)).Select(name => $"'{name}' {actual[name].Shape}").ToList();
        if (missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
        if (extra.Count > 0) problems.Add($"not in the tree: {string.Join(", ", extra)}");
        foreach (var name in expected.Names)
            if (actual.Contains(name) && actual[name].Shape != expected[name].Shape)
                problems.Add($"shape differs: '{name}' is {actual[name].Shape}, the tree expects {expected[name].Shape}");
        if (problems.Count > 0)
            throw new ArgumentException($"{operation}: the parameters do not match the tree ({string.Join("; ", problems)}).");
    }
}
