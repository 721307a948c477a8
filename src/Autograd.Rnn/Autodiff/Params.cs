using System.Collections;
using System.Collections.Immutable;
using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// An immutable, ordered collection of named tensors: the parameters <see cref="Grad"/> differentiates with respect
/// to, the gradients it returns, what optimizers map over and what checkpoints save. Names follow PyTorch's
/// <c>state_dict</c> conventions for built-in layers (<c>weight_ih_l0</c>, …). Every change returns a new collection.
/// </summary>
public sealed class Params<T> : IReadOnlyCollection<KeyValuePair<string, Tensor<T>>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImmutableList<string> names;
    private readonly ImmutableDictionary<string, Tensor<T>> tensors;

    private Params(ImmutableList<string> names, ImmutableDictionary<string, Tensor<T>> tensors)
    {
        this.names = names;
        this.tensors = tensors;
    }

    /// <summary>The collection with no parameters.</summary>
    public static Params<T> Empty { get; } = new(ImmutableList<string>.Empty, ImmutableDictionary<string, Tensor<T>>.Empty);

    /// <summary>The names, in insertion order.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The number of parameters.</summary>
    public int Count => names.Count;

    /// <summary>The total number of scalar elements over all parameters.</summary>
    public long ElementCount
    {
        get
        {
            long total = 0;
            foreach (var name in names) total += tensors[name].Size;
            return total;
        }
    }

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name; the message lists the names there are.</exception>
    public Tensor<T> this[string name] => tensors.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"Params: no parameter named '{name}'. Names: {string.Join(", ", names)}.");

    /// <summary>Whether a parameter has that name.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>A new collection with <paramref name="tensor"/> added at the end under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public Params<T> Add(string name, Tensor<T> tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensors.ContainsKey(name)) throw new ArgumentException($"Params.Add: a parameter named '{name}' already exists.", nameof(name));
        return new Params<T>(names.Add(name), tensors.Add(name, tensor));
    }

    /// <summary>A new collection where <paramref name="name"/> holds <paramref name="tensor"/>: replaced in place if it exists, added at the end if not.</summary>
    public Params<T> With(string name, Tensor<T> tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        return tensors.ContainsKey(name)
            ? new Params<T>(names, tensors.SetItem(name, tensor))
            : new Params<T>(names.Add(name), tensors.Add(name, tensor));
    }

    /// <summary>A new collection holding these parameters followed by <paramref name="other"/>'s.</summary>
    /// <exception cref="ArgumentException">A name appears in both.</exception>
    public Params<T> Concat(Params<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = this;
        foreach (var (name, tensor) in other) result = result.Add(name, tensor);
        return result;
    }

    /// <summary>The same tensors with <paramref name="prefix"/> put before every name (e.g. <c>"encoder."</c>).</summary>
    public Params<T> WithPrefix(string prefix)
    {
        var result = Empty;
        foreach (var name in names) result = result.Add(prefix + name, tensors[name]);
        return result;
    }

    /// <summary>The parameters whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public Params<T> Select(string prefix)
    {
        var result = Empty;
        foreach (var name in names)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) result = result.Add(name[prefix.Length..], tensors[name]);
        return result;
    }

    /// <summary>The same names with each tensor replaced by <paramref name="map"/>(name, tensor).</summary>
    public Params<T> Map(Func<string, Tensor<T>, Tensor<T>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = ImmutableDictionary.CreateBuilder<string, Tensor<T>>();
        foreach (var name in names) builder.Add(name, map(name, tensors[name]));
        return new Params<T>(names, builder.ToImmutable());
    }

    /// <summary>The same names with each tensor replaced by <paramref name="map"/>(tensor).</summary>
    public Params<T> Map(Func<Tensor<T>, Tensor<T>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Map((_, tensor) => map(tensor));
    }

    /// <summary>
    /// Combines two collections with the same names, name by name: <paramref name="combine"/>(this[name], other[name]).
    /// </summary>
    /// <exception cref="ArgumentException">The collections do not have the same names.</exception>
    public Params<T> Zip(Params<T> other, Func<Tensor<T>, Tensor<T>, Tensor<T>> combine)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(combine);
        RequireSameNames(other, "Params.Zip");
        return Map((name, tensor) => combine(tensor, other.tensors[name]));
    }

    internal void RequireSameNames(Params<T> other, string operation)
    {
        if (other.Count != Count || names.Any(n => !other.tensors.ContainsKey(n)))
            throw new ArgumentException($"{operation}: parameter names differ: [{string.Join(", ", names)}] and [{string.Join(", ", other.names)}].");
    }

    /// <summary>The tensors in order.</summary>
    internal Tensor<T>[] Tensors()
    {
        var result = new Tensor<T>[names.Count];
        for (int i = 0; i < result.Length; i++) result[i] = tensors[names[i]];
        return result;
    }

    /// <summary>The same names, in order, holding <paramref name="values"/>.</summary>
    internal Params<T> WithTensors(Tensor<T>[] values)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, Tensor<T>>();
        for (int i = 0; i < values.Length; i++) builder.Add(names[i], values[i]);
        return new Params<T>(names, builder.ToImmutable());
    }

    /// <summary>The name–tensor pairs in order.</summary>
    public IEnumerator<KeyValuePair<string, Tensor<T>>> GetEnumerator()
    {
        foreach (var name in names) yield return new KeyValuePair<string, Tensor<T>>(name, tensors[name]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Each parameter's name, shape, element count and bytes, and the totals; its <c>ToString</c> is a table.</summary>
    public ParamsSummary Summary() => ParamsSummary.Of(this);

    /// <summary>Names and shapes, e.g. <c>Params { w: [3,4], b: [4] }</c>.</summary>
    public override string ToString() =>
        "Params { " + string.Join(", ", names.Select(n => $"{n}: {tensors[n].Shape}")) + " }";
}

/// <summary>Creates <see cref="Params{T}"/> collections.</summary>
public static class Params
{
    /// <summary>A collection from name–tensor pairs, in the order given.</summary>
    public static Params<T> Create<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> pairs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = Params<T>.Empty;
        foreach (var (name, tensor) in pairs) result = result.Add(name, tensor);
        return result;
    }

    /// <summary>
    /// A collection of one tensor (F#: <c>Params.Create("w", w)</c>, where a one-element list <c>[ "w", w ]</c> draws the
    /// compiler's FS3886 note).
    /// </summary>
    public static Params<T> Create<T>(string name, Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        Params<T>.Empty.Add(name, tensor);

    /// <summary>A collection from (name, tensor) tuples, in the order given (F#: <c>Params.Create [ "w", w; "b", b ]</c>).</summary>
    public static Params<T> Create<T>(IEnumerable<Tuple<string, Tensor<T>>> pairs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = Params<T>.Empty;
        foreach (var pair in pairs) result = result.Add(pair.Item1, pair.Item2);
        return result;
    }
}
