using System.Collections.Immutable;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>What ParamTree refuses, and that every refusal names the path and says what is accepted or expected.</summary>
public class ParamTreeErrorTests
{
    public sealed record Linear(Tensor<double> Weight, Tensor<double> Bias);

    public sealed record Holder<TValue>(Linear Readout, TValue Value);

    public sealed class WithField
    {
        public Tensor<double> Weight = Tensor.Zeros<double>(1);
    }

    public sealed class NotRebuildable(Tensor<double> weight)
    {
        public Tensor<double> Kernel { get; } = weight;
    }

    public sealed class Node
    {
        public Tensor<double> Weight { get; set; } = Tensor.Zeros<double>(1);
        public Node? Next { get; set; }
    }

    private static readonly Linear Readout = new(Tensor.Full(1.0, 2, 3), Tensor.Full(0.0, 2));

    private static ArgumentException Refused(object tree) => Assert.Throws<ArgumentException>(() => ParamTree.ToParams<double>(tree));

    [Fact]
    public void A_null_tensor_or_node_is_refused_naming_its_path()
    {
        Assert.Contains("'Readout.Bias' is null", Refused(new Holder<int>(Readout with { Bias = null! }, 1)).Message);
        Assert.Contains("'Readout' is null", Refused(new Holder<int>(null!, 1)).Message);
        Assert.Contains("'Value.1' is null", Refused(new Holder<Linear?[]>(Readout, [Readout, null])).Message);
    }

    [Fact]
    public void Null_constants_are_constants()
    {
        Assert.Equal(2, ParamTree.ToParams<double>(new Holder<string?>(Readout, null)).Count);
        Assert.Equal(2, ParamTree.ToParams<double>(new Holder<int?>(Readout, null)).Count);
    }

    [Fact]
    public void A_member_of_a_type_trees_do_not_accept_is_named_with_what_is_accepted()
    {
        var function = Refused(new Holder<Func<int>>(Readout, () => 1)).Message;
        Assert.Contains("'Value'", function);
        Assert.Contains("Func<Int32>", function);
        Assert.Contains("F# records, C# records and classes", function);
        Assert.Contains("primitives, enums, strings", function);
        Assert.Contains("'Value' its type Random is not accepted: it has no public properties", Refused(new Holder<object>(Readout, new Random(1))).Message);
        Assert.Contains("'Value' its type HashSet<Linear> is not accepted: it is a collection", Refused(new Holder<HashSet<Linear>>(Readout, [])).Message);
    }

    [Fact]
    public void Public_fields_multi_dimensional_arrays_and_classes_without_a_usable_constructor_are_refused_saying_why()
    {
        Assert.Contains("public field 'Weight'", Refused(new Holder<WithField>(Readout, new WithField())).Message);
        Assert.Contains("multi-dimensional", Refused(new Holder<Linear[,]>(Readout, new Linear[1, 1])).Message);
        var message = Refused(new Holder<NotRebuildable>(Readout, new NotRebuildable(Tensor.Zeros<double>(1)))).Message;
        Assert.Contains("'Value'", message);
        Assert.Contains("no public constructor whose parameters all name its properties", message);
    }

    [Fact]
    public void A_tensor_of_the_other_element_type_is_refused()
    {
        var message = Refused(new Holder<Tensor<float>>(Readout, Tensor.Zeros<float>(1))).Message;
        Assert.Contains("'Value' is a Tensor<Single> in a tree of Double tensors", message);
    }

    [Fact]
    public void Dictionary_keys_must_be_non_empty_strings()
    {
        Assert.Contains("keys must be strings", Refused(new Dictionary<int, Linear> { [0] = Readout }).Message);
        Assert.Contains("empty dictionary key", Refused(new Dictionary<string, Linear> { [""] = Readout }).Message);
    }

    [Fact]
    public void Two_paths_spelling_the_same_name_are_refused()
    {
        var tree = new Dictionary<string, object> { ["a"] = Readout, ["a.Weight"] = Tensor.Zeros<double>(1) };
        Assert.Contains("two tensors of the tree are named 'a.Weight'", Refused(tree).Message);
    }

    [Fact]
    public void A_cycle_is_refused_and_a_lone_tensor_is_not_a_tree()
    {
        var node = new Node();
        node.Next = node;
        Assert.Contains("'Next' refers back to a node that holds it", Refused(node).Message);
        Assert.Contains("lone tensor", Refused(Tensor.Zeros<double>(1)).Message);
    }

    [Fact]
    public void Rebuilding_from_Params_lists_missing_extra_and_misspelt_names_and_shape_differences()
    {
        var tree = new Holder<int>(Readout, 3);
        var wrong = Params<double>.Empty
            .Add("Readout.Weight", Tensor.Zeros<double>(3, 2))
            .Add("Readout.Bais", Tensor.Zeros<double>(2))
            .Add("Extra", Tensor.Zeros<double>(1));
        var message = Assert.Throws<ArgumentException>(() => ParamTree.FromParams(tree, wrong)).Message;
        Assert.Contains("missing: 'Readout.Bias' [2]", message);
        Assert.Contains("not in the tree: 'Readout.Bais' [2], 'Extra' [1]", message);
        Assert.Contains("shape differs: 'Readout.Weight' is [3,2], the tree expects [2,3]", message);
    }
}
