using System.Collections.Immutable;
using System.Collections.ObjectModel;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>ParamTree: records, classes and collections of tensors to and from Params, by dotted path.</summary>
public class ParamTreeTests
{
    public sealed record Linear(Tensor<double> Weight, Tensor<double> Bias);

    public enum Activation { Tanh, Relu }

    public sealed record Model(Params<double> Encoder, Linear Readout, int HiddenSize, string Name, Activation Activation, int[] Sizes);

    /// <summary>An immutable class: constructor parameters name its properties up to case; a computed property is not a member.</summary>
    public sealed class Gate(Tensor<double> weight, Tensor<double> bias)
    {
        public Tensor<double> Weight { get; } = weight;
        public Tensor<double> Bias { get; } = bias;
        public Tensor<double> Transposed => Weight.Transpose();
    }

    /// <summary>A mutable class: a parameterless constructor, then setters (init-only too).</summary>
    public sealed class Mutable
    {
        public Tensor<double> W { get; set; } = Tensor.Zeros<double>(2);
        public Tensor<double> B { get; init; } = Tensor.Zeros<double>(1);
        public double Scale { get; set; } = 1.5;
    }

    /// <summary>A struct with setters: built by its implicit parameterless constructor.</summary>
    public struct Pair
    {
        public Tensor<double> First { get; set; }
        public Tensor<double> Second { get; set; }
    }

    public sealed record Collections(
        Linear[] Array, List<Linear> List, ImmutableArray<Linear> Immutable, ImmutableList<Linear> ImmutableList,
        ReadOnlyCollection<Linear> ReadOnly, IReadOnlyList<Linear> Declared,
        Dictionary<string, Linear> Dictionary, SortedDictionary<string, Linear> Sorted, ImmutableDictionary<string, Linear> ImmutableMap,
        ImmutableSortedDictionary<string, Linear> ImmutableSorted, ReadOnlyDictionary<string, Linear> ReadOnlyMap);

    private static Linear NewLinear(ulong seed) =>
        new(Tensor.RandomNormal<double>([2, 3], seed), Tensor.RandomNormal<double>([2], seed + 100));

    private static Model NewModel() => new(
        Params<double>.Empty.Add("weight_ih_l0", Tensor.Full(1.0, 4, 3)).Add("bias_ih_l0", Tensor.Full(2.0, 4)),
        NewLinear(1), HiddenSize: 4, Name: "tagger", Activation.Relu, Sizes: [4, 2]);

    private static Collections NewCollections() => new(
        [NewLinear(1)], [NewLinear(2), NewLinear(3)], [NewLinear(4)], [NewLinear(5)],
        new ReadOnlyCollection<Linear>([NewLinear(6)]), ImmutableArray.Create(NewLinear(7)),
        new Dictionary<string, Linear>(StringComparer.OrdinalIgnoreCase) { ["b"] = NewLinear(8), ["a"] = NewLinear(9) },
        new SortedDictionary<string, Linear> { ["x"] = NewLinear(10) },
        ImmutableDictionary<string, Linear>.Empty.Add("y", NewLinear(11)),
        ImmutableSortedDictionary<string, Linear>.Empty.Add("z", NewLinear(12)),
        new ReadOnlyDictionary<string, Linear>(new Dictionary<string, Linear> { ["w"] = NewLinear(13) }));

    [Fact]
    public void Names_are_dotted_paths_with_field_names_as_declared_and_nested_Params_names_kept()
    {
        var flat = ParamTree.ToParams<double>(NewModel());
        Assert.Equal(["Encoder.weight_ih_l0", "Encoder.bias_ih_l0", "Readout.Weight", "Readout.Bias"], flat.Names);
    }

    [Fact]
    public void A_round_trip_through_Params_returns_the_tree_itself()
    {
        var model = NewModel();
        Assert.Same(model, ParamTree.FromParams(model, ParamTree.ToParams<double>(model)));
        var collections = NewCollections();
        Assert.Same(collections, ParamTree.FromParams(collections, ParamTree.ToParams<double>(collections)));
    }

    [Fact]
    public void Rebuilding_with_new_tensors_gives_the_same_types_and_carries_constants_over()
    {
        var model = NewModel();
        var doubled = ParamTree.FromParams(model, ParamTree.ToParams<double>(model).Map(t => t * 2.0));
        Assert.IsType<Model>(doubled);
        Assert.Equal((model.HiddenSize, model.Name, model.Activation), (doubled.HiddenSize, doubled.Name, doubled.Activation));
        Assert.Same(model.Sizes, doubled.Sizes);
        Assert.Equal(model.Encoder.Names, doubled.Encoder.Names);
        Assert.Equal(model.Readout.Bias.ToArray().Select(v => 2 * v), doubled.Readout.Bias.ToArray());
        Assert.Equal(4.0, doubled.Encoder["bias_ih_l0"].ToArray()[0]);
    }

    [Fact]
    public void Lists_are_named_by_index_and_dictionaries_by_key_in_ordinal_order_and_each_comes_back_as_its_own_type()
    {
        var tree = NewCollections();
        var flat = ParamTree.ToParams<double>(tree);
        Assert.Equal(
            ["Array.0", "List.0", "List.1", "Immutable.0", "ImmutableList.0", "ReadOnly.0", "Declared.0", "Dictionary.a", "Dictionary.b",
             "Sorted.x", "ImmutableMap.y", "ImmutableSorted.z", "ReadOnlyMap.w"],
            flat.Names.Where(n => n.EndsWith(".Weight")).Select(n => n[..^".Weight".Length]));
        var rebuilt = ParamTree.FromParams(tree, flat.Map(t => -t));
        Assert.IsType<Linear[]>(rebuilt.Array);
        Assert.IsType<List<Linear>>(rebuilt.List);
        Assert.IsType<ImmutableList<Linear>>(rebuilt.ImmutableList);
        Assert.IsType<ReadOnlyCollection<Linear>>(rebuilt.ReadOnly);
        Assert.IsType<ImmutableArray<Linear>>(rebuilt.Declared);
        Assert.IsType<ImmutableDictionary<string, Linear>>(rebuilt.ImmutableMap);
        Assert.IsType<ImmutableSortedDictionary<string, Linear>>(rebuilt.ImmutableSorted);
        Assert.IsType<ReadOnlyDictionary<string, Linear>>(rebuilt.ReadOnlyMap);
        Assert.Same(StringComparer.OrdinalIgnoreCase, rebuilt.Dictionary.Comparer);
        Assert.Equal(-tree.List[1].Weight.ToArray()[4], rebuilt.List[1].Weight.ToArray()[4]);
        Assert.Equal(-tree.Dictionary["a"].Bias.ToArray()[1], rebuilt.Dictionary["A"].Bias.ToArray()[1]);
        Assert.Equal(-tree.Immutable[0].Bias.ToArray()[0], rebuilt.Immutable[0].Bias.ToArray()[0]);
    }

    [Fact]
    public void A_collection_expression_held_as_an_interface_is_read_in_order_and_rebuilt_as_an_array()
    {
        var tree = new Collections([], [], [], [], new ReadOnlyCollection<Linear>([]), [NewLinear(1), NewLinear(2)],
            [], [], ImmutableDictionary<string, Linear>.Empty, ImmutableSortedDictionary<string, Linear>.Empty,
            new ReadOnlyDictionary<string, Linear>(new Dictionary<string, Linear>()));
        var flat = ParamTree.ToParams<double>(tree);
        Assert.Equal(["Declared.0.Weight", "Declared.0.Bias", "Declared.1.Weight", "Declared.1.Bias"], flat.Names);
        var rebuilt = ParamTree.FromParams(tree, flat.Map(t => t * 3.0));
        Assert.IsType<Linear[]>(rebuilt.Declared);
        Assert.Equal(3 * tree.Declared[1].Bias.ToArray()[0], rebuilt.Declared[1].Bias.ToArray()[0]);
    }

    [Fact]
    public void Classes_are_rebuilt_through_a_constructor_naming_their_properties_or_through_setters()
    {
        var gate = new Gate(Tensor.Full(1.0, 2, 2), Tensor.Full(0.5, 2));
        var flat = ParamTree.ToParams<double>(gate);
        Assert.Equal(["Weight", "Bias"], flat.Names);   // Transposed is computed, not a member
        var rebuiltGate = ParamTree.FromParams(gate, flat.Map(t => t + 1.0));
        Assert.Equal(1.5, rebuiltGate.Bias.ToArray()[0]);

        var mutable = new Mutable { W = Tensor.Full(3.0, 2), B = Tensor.Full(4.0, 1), Scale = 7 };
        Assert.Equal(["W", "B"], ParamTree.ToParams<double>(mutable).Names);
        var rebuilt = ParamTree.FromParams(mutable, ParamTree.ToParams<double>(mutable).Map(t => t * 0.5));
        Assert.NotSame(mutable, rebuilt);
        Assert.Equal((1.5, 2.0, 7.0), (rebuilt.W.ToArray()[0], rebuilt.B.ToArray()[0], rebuilt.Scale));
    }

    [Fact]
    public void Structs_are_rebuilt_through_their_setters()
    {
        var pair = new Pair { First = Tensor.Full(1.0, 2), Second = Tensor.Full(2.0, 3) };
        var rebuilt = ParamTree.FromParams(pair, ParamTree.ToParams<double>(pair).Map(t => t * 10.0));
        Assert.Equal(["First", "Second"], ParamTree.ToParams<double>(pair).Names);
        Assert.Equal((10.0, 20.0), (rebuilt.First.ToArray()[0], rebuilt.Second.ToArray()[2]));
    }

    [Fact]
    public void A_Params_at_the_root_keeps_its_names_and_a_dictionary_of_Params_prefixes_them()
    {
        var layer = Params<double>.Empty.Add("weight_ih_l0", Tensor.Full(1.0, 2));
        Assert.Equal(["weight_ih_l0"], ParamTree.ToParams<double>(layer).Names);
        var tree = new Dictionary<string, Params<double>> { ["encoder"] = layer, ["decoder"] = layer };
        Assert.Equal(["decoder.weight_ih_l0", "encoder.weight_ih_l0"], ParamTree.ToParams<double>(tree).Names);
    }

    [Fact]
    public void Reflection_over_a_type_is_done_once_and_cached()
    {
        Assert.Same(TreeNodeKind.Of(typeof(Model)), TreeNodeKind.Of(typeof(Model)));
        Assert.Same(TreeNodeKind.Of(typeof(List<Linear>)), TreeNodeKind.Of(typeof(List<Linear>)));
    }
}
