using System.Collections;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;

namespace Autograd.Rnn;

/// <summary>
/// The collections a parameter tree may hold, each rebuilt as the same collection type it came as: arrays,
/// <c>List</c>, <c>ImmutableArray</c>, <c>ImmutableList</c>, <c>ReadOnlyCollection</c> and F# lists (children named by
/// index, <c>layers.0</c>), and string-keyed <c>Dictionary</c>, <c>SortedDictionary</c>, <c>ImmutableDictionary</c>,
/// <c>ImmutableSortedDictionary</c>, <c>ReadOnlyDictionary</c> and F# maps (children named by key, in ordinal key order
/// so that names come out in the same order in every process, whatever the dictionary's own order).
/// F# types are recognised by name, so the library needs no FSharp.Core.
/// </summary>
internal static class TreeCollections
{
    private const string FSharpList = "Microsoft.FSharp.Collections.FSharpList`1";
    private const string FSharpMap = "Microsoft.FSharp.Collections.FSharpMap`2";

    private static readonly Type[] Lists =
        [typeof(List<>), typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ReadOnlyCollection<>)];

    private static readonly Type[] Dictionaries =
        [typeof(Dictionary<,>), typeof(SortedDictionary<,>), typeof(ImmutableDictionary<,>), typeof(ImmutableSortedDictionary<,>), typeof(ReadOnlyDictionary<,>)];

    /// <summary>The element type of a supported list or array, or the value type of a supported dictionary; otherwise null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type.IsSZArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        if (Lists.Contains(definition) || definition.FullName == FSharpList) return type.GetGenericArguments()[0];
        if (Dictionaries.Contains(definition) || definition.FullName == FSharpMap) return type.GetGenericArguments()[1];
        return null;
    }

    /// <summary>The kind of a supported list or array type; null for any other type.</summary>
    public static TreeNodeKind? ListKindOf(Type type)
    {
        if (type.IsArray && !type.IsSZArray) return new TreeNodeKind.UnsupportedKind(type, "multi-dimensional arrays are not accepted; use an array of arrays");
        if (type.IsSZArray) return Create(typeof(ListKind<>), type.GetElementType()!, type);
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        return Lists.Contains(definition) || definition.FullName == FSharpList
            ? Create(typeof(ListKind<>), type.GetGenericArguments()[0], type)
            : null;
    }

    /// <summary>
    /// For a collection of another type held where an interface an array also implements is declared
    /// (<c>IReadOnlyList&lt;E&gt;</c>, <c>IEnumerable&lt;E&gt;</c>, …): the array kind, which reads it as it enumerates and
    /// rebuilds it as <c>E[]</c>, a value the member accepts. This is what C# collection expressions build for such members
    /// (<c>Heads = [a, b]</c> makes a compiler-generated list type). Null when that does not apply.
    /// </summary>
    public static TreeNodeKind? AsArrayKind(Type type, Type declared)
    {
        if (!declared.IsInterface || !declared.IsGenericType || declared.GetGenericArguments().Length != 1) return null;
        var element = declared.GetGenericArguments()[0];
        var array = element.MakeArrayType();
        return declared.IsAssignableFrom(array) && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type)
            ? TreeNodeKind.Of(array)
            : null;
    }

    /// <summary>The kind of a supported dictionary type; null for any other type.</summary>
    public static TreeNodeKind? DictionaryKindOf(Type type)
    {
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        if (!Dictionaries.Contains(definition) && definition.FullName != FSharpMap) return null;
        var arguments = type.GetGenericArguments();
        return arguments[0] != typeof(string)
            ? new TreeNodeKind.UnsupportedKind(type, "a dictionary's keys must be strings (they become parts of the parameters' dotted names)")
            : Create(typeof(DictionaryKind<>), arguments[1], type);
    }

    private static TreeNodeKind Create(Type generic, Type element, Type collection) =>
        (TreeNodeKind)Activator.CreateInstance(generic.MakeGenericType(element), collection)!;

    /// <summary>A list or array of <typeparamref name="TElement"/>: children "0", "1", …, rebuilt as <paramref name="type"/>.</summary>
    private sealed class ListKind<TElement>(Type type) : TreeNodeKind
    {
        private readonly Func<TElement[], object> build = Builder(type);

        public override IReadOnlyList<TreeChild> Children(object node)
        {
            var children = new List<TreeChild>();
            foreach (var item in (IEnumerable<TElement>)node)
                children.Add(new TreeChild(children.Count.ToString(CultureInfo.InvariantCulture), typeof(TElement), item));
            return children;
        }

        public override object Rebuild(object template, object?[] children) => build(Array.ConvertAll(children, child => (TElement)child!));

        private static Func<TElement[], object> Builder(Type type)
        {
            if (type.IsSZArray) return items => items;
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>)) return items => new List<TElement>(items);
            if (definition == typeof(ImmutableArray<>)) return items => ImmutableArray.Create(items);
            if (definition == typeof(ImmutableList<>)) return items => ImmutableList.Create(items);
            if (definition == typeof(ReadOnlyCollection<>)) return items => new ReadOnlyCollection<TElement>(items);
            // An F# list: consed from the last element to the first onto the empty list.
            var empty = type.GetProperty("Empty", BindingFlags.Public | BindingFlags.Static)!;
            var cons = type.GetMethod("Cons", BindingFlags.Public | BindingFlags.Static, [typeof(TElement), type])!;
            return items =>
            {
                var list = empty.GetValue(null)!;
                for (int i = items.Length - 1; i >= 0; i--) list = cons.Invoke(null, [items[i], list])!;
                return list;
            };
        }
    }

    /// <summary>A string-keyed dictionary of <typeparamref name="TValue"/>: children by key in ordinal order, rebuilt as the template's type and comparer.</summary>
    private sealed class DictionaryKind<TValue>(Type type) : TreeNodeKind
    {
        private readonly Func<object, KeyValuePair<string, TValue>[], object> build = Builder(type);

        public override IReadOnlyList<TreeChild> Children(object node) =>
            ((IEnumerable<KeyValuePair<string, TValue>>)node)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new TreeChild(pair.Key, typeof(TValue), pair.Value))
            .ToArray();

        public override object Rebuild(object template, object?[] children)
        {
            var keys = Children(template);
            var pairs = new KeyValuePair<string, TValue>[children.Length];
            for (int i = 0; i < pairs.Length; i++) pairs[i] = new KeyValuePair<string, TValue>(keys[i].Key, (TValue)children[i]!);
            return build(template, pairs);
        }

        private static Func<object, KeyValuePair<string, TValue>[], object> Builder(Type type)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Dictionary<,>))
                return (template, pairs) => new Dictionary<string, TValue>(pairs, ((Dictionary<string, TValue>)template).Comparer);
            if (definition == typeof(SortedDictionary<,>))
                return (template, pairs) => new SortedDictionary<string, TValue>(pairs.ToDictionary(), ((SortedDictionary<string, TValue>)template).Comparer);
            if (definition == typeof(ImmutableDictionary<,>))
                return (template, pairs) => ImmutableDictionary.CreateRange(((ImmutableDictionary<string, TValue>)template).KeyComparer, pairs);
            if (definition == typeof(ImmutableSortedDictionary<,>))
                return (template, pairs) => ImmutableSortedDictionary.CreateRange(((ImmutableSortedDictionary<string, TValue>)template).KeyComparer, pairs);
            if (definition == typeof(ReadOnlyDictionary<,>))
                return (_, pairs) => new ReadOnlyDictionary<string, TValue>(new Dictionary<string, TValue>(pairs, StringComparer.Ordinal));
            // An F# map: its constructor takes (key, value) tuples.
            var constructor = type.GetConstructor([typeof(IEnumerable<Tuple<string, TValue>>)])!;
            return (_, pairs) => constructor.Invoke([pairs.Select(pair => Tuple.Create(pair.Key, pair.Value)).ToArray()]);
        }
    }
}
