using System.Collections.Concurrent;
using System.Reflection;

namespace Autograd.Rnn;

/// <summary>
/// How one runtime type takes part in a parameter tree: which children it has (by key, in order), which of them are
/// constants carried over unchanged, and how to build a new value of the type from new children. Found by reflection
/// once per type and cached; the walker (<see cref="TreeWalker{T}"/>) handles tensors and <see cref="Params{T}"/>
/// itself, so a kind is only ever asked about records, classes and collections.
/// </summary>
internal abstract class TreeNodeKind
{
    private static readonly ConcurrentDictionary<Type, TreeNodeKind> Cache = new();

    /// <summary>The children of <paramref name="node"/>, in name order.</summary>
    public abstract IReadOnlyList<TreeChild> Children(object node);

    /// <summary>A new value of the node's type holding <paramref name="children"/> (in <see cref="Children"/>' order).</summary>
    public abstract object Rebuild(object template, object?[] children);

    /// <summary>The kind of <paramref name="type"/>, found once and then read from the cache.</summary>
    public static TreeNodeKind Of(Type type) => Cache.GetOrAdd(type, Classify);

    /// <summary>
    /// Values carried over from the template as they are: primitives, enums, strings, decimals, their nullable forms,
    /// and arrays, lists and maps of them (a config field such as <c>int hiddenSize</c> or <c>int[] sizes</c>).
    /// </summary>
    public static bool IsConstant(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)) return true;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return IsConstant(underlying);
        return TreeCollections.ElementType(type) is { } element && IsConstant(element);
    }

    private static TreeNodeKind Classify(Type type)
    {
        if (IsConstant(type)) return ConstantKind.Instance;
        if (TreeCollections.ListKindOf(type) is { } list) return list;
        if (TreeCollections.DictionaryKindOf(type) is { } dictionary) return dictionary;
        if (typeof(Delegate).IsAssignableFrom(type) || type.IsInterface || type.IsAbstract || type == typeof(object))
            return new UnsupportedKind(type, "it is not a record, a class with properties or one of the supported collections");
        // Walked as a record, a set or another collection would keep only its properties (Count, Comparer) and drop its items.
        if (typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
            return new UnsupportedKind(type, "it is a collection of a kind trees do not rebuild");
        return RecordKind.Create(type);
    }

    /// <summary>A value the tree keeps unchanged (see <see cref="IsConstant"/>).</summary>
    internal sealed class ConstantKind : TreeNodeKind
    {
        public static readonly ConstantKind Instance = new();

        public override IReadOnlyList<TreeChild> Children(object node) => [];

        public override object Rebuild(object template, object?[] children) => template;
    }

    /// <summary>A type that cannot be part of a tree; the walker throws naming the path and <see cref="Reason"/>.</summary>
    internal sealed class UnsupportedKind(Type type, string reason) : TreeNodeKind
    {
        public string Reason { get; } = $"its type {TypeName(type)} is not accepted: {reason}";

        public override IReadOnlyList<TreeChild> Children(object node) => throw new InvalidOperationException(Reason);

        public override object Rebuild(object template, object?[] children) => throw new InvalidOperationException(Reason);
    }

    /// <summary>
    /// A record or class: its members are the parameters of its widest public constructor that all match public readable
    /// properties by name (F# records, C# positional records, immutable classes), then every other public property with
    /// a public setter or <c>init</c> (classes built with a parameterless constructor and setters). Get-only properties
    /// that no constructor parameter names are computed, so they are not members.
    /// </summary>
    private sealed class RecordKind(Type type, ConstructorInfo? constructor, PropertyInfo[] members, int constructorArguments) : TreeNodeKind
    {
        public static TreeNodeKind Create(Type type)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
                .OrderBy(p => p.MetadataToken)
                .ToArray();
            // Public fields would silently drop out of the tree (a tensor there would never be trained or saved).
            if (type.GetFields(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault() is { } field)
                return new UnsupportedKind(type, $"it has the public field '{field.Name}'; trees read properties, so make it a property");
            // A type with nothing to walk (Random, a handle) is not a tree node; an accidental member is better refused than kept.
            if (properties.Length == 0) return new UnsupportedKind(type, "it has no public properties");
            ConstructorInfo? best = null;
            PropertyInfo[]? bestMembers = null;
            foreach (var candidate in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length))
            {
                var matched = candidate.GetParameters().Select(parameter => properties.FirstOrDefault(p =>
                        string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase) && parameter.ParameterType.IsAssignableFrom(p.PropertyType)))
                    .ToArray();
                if (matched.Any(p => p is null)) continue;
                best = candidate;
                bestMembers = matched!;
                break;
            }
            // A struct always has a parameterless constructor, which reflection does not list.
            if (best is null && !type.IsValueType)
                return new UnsupportedKind(type, "it has no public constructor whose parameters all name its properties, and no public parameterless one");
            bestMembers ??= [];
            var settable = properties.Where(p => p.SetMethod is { IsPublic: true } && !bestMembers.Contains(p));
            var members = bestMembers.Concat(settable).ToArray();
            if (members.Length == 0)
                return new UnsupportedKind(type, "none of its properties can be set, by a constructor parameter of the same name or by a setter");
            return new RecordKind(type, best, members, bestMembers.Length);
        }

        public override IReadOnlyList<TreeChild> Children(object node)
        {
            var children = new TreeChild[members.Length];
            for (int i = 0; i < members.Length; i++) children[i] = new TreeChild(members[i].Name, members[i].PropertyType, members[i].GetValue(node));
            return children;
        }

        public override object Rebuild(object template, object?[] children)
        {
            var result = constructor is null ? Activator.CreateInstance(type)! : constructor.Invoke(children[..constructorArguments]);
            for (int i = constructorArguments; i < members.Length; i++) members[i].SetValue(result, children[i]);
            return result;
        }

        public override string ToString() => $"record {TypeName(type)}";
    }

    /// <summary>C#-style type names in messages: <c>List&lt;Tensor&lt;Single&gt;&gt;</c>, not <c>List`1</c>.</summary>
    public static string TypeName(Type type) => !type.IsGenericType
        ? type.Name
        : $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
}

/// <summary>One child of a tree node: its key in the dotted name, the type it is declared as, and its value.</summary>
internal readonly record struct TreeChild(string Key, Type DeclaredType, object? Value);
