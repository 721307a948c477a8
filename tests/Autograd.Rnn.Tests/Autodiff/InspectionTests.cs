using Autograd.Rnn.TestSupport;
using System.Text.RegularExpressions;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>Graph export to DOT and the parameter summary.</summary>
public partial class InspectionTests
{
    private static readonly Params<double> Parameters = Params<double>.Empty
        .Add("w", Tensor.RandomNormal<double>([2, 3], seed: 1))
        .Add("b", Tensor.Zeros<double>(3))
        .Add("unused", Tensor.Zeros<double>(4));

    private static readonly Tensor<double> X = Tensor.RandomNormal<double>([5, 2], seed: 2);

    [Fact]
    public void The_DOT_graph_has_a_box_per_parameter_used_an_ellipse_per_op_and_every_edge()
    {
        string dot = Graph.ToDot(p => Tensor.Sum(Tensor.Tanh(X.MatMul(p["w"]) + p["b"])), Parameters);
        Assert.StartsWith("digraph computation {", dot);
        Assert.EndsWith("}\n", dot);
        var labels = NodeLabel().Matches(dot).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["label"].Value);
        Assert.Equal(6, labels.Count); // w, b, MatMul, Add, Tanh, SumTo (Sum of all elements)
        Assert.Contains(@"w\n[2,3]", labels.Values);
        Assert.Contains(@"b\n[3]", labels.Values);
        Assert.DoesNotContain(labels.Values, l => l.StartsWith("unused", StringComparison.Ordinal));
        Assert.Contains(@"MatMul\n[5,3]\n+1 constant", labels.Values);
        Assert.Contains(@"Tanh\n[5,3]", labels.Values);
        string Id(string label) => labels.Single(pair => pair.Value.StartsWith(label, StringComparison.Ordinal)).Key;
        var edges = Edge().Matches(dot).Select(m => (m.Groups["from"].Value, m.Groups["to"].Value)).ToHashSet();
        Assert.Equal(5, edges.Count);
        Assert.Contains((Id(@"w\n"), Id("MatMul")), edges);
        Assert.Contains((Id("MatMul"), Id("Add")), edges);
        Assert.Contains((Id(@"b\n"), Id("Add")), edges);
        Assert.Contains((Id("Add"), Id("Tanh")), edges);
        Assert.Contains((Id("Tanh"), Id("SumTo")), edges);
        Assert.Contains("peripheries=2", dot.Split('\n').Single(line => line.Contains(@"SumTo\n", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_recurrent_layer_graph_names_its_PyTorch_parameters_and_grows_with_the_sequence_only_when_eager()
    {
        var layer = RecurrentLayer.Lstm<float>(3, 4);
        var p = layer.Initialize(seed: 1);
        string Dot(int steps) => Graph.ToDot(q => Tensor.Sum(layer.Apply(q, Tensor.Ones<float>(steps, 2, 3)).Output), p);
        string short_, long_;
        using (Compile.Eagerly()) (short_, long_) = (Dot(2), Dot(50));
        foreach (var name in new[] { @"weight_ih_l0\n[16,3]", @"weight_hh_l0\n[16,4]", @"bias_ih_l0\n[16]", @"bias_hh_l0\n[16]" })
            Assert.Contains(name, short_);
        Assert.True(NodeLabel().Matches(long_).Count > 10 * NodeLabel().Matches(short_).Count / 2);

        // Planned, the unroll is one op whatever the length: no node per step.
        string plannedShort = Dot(2), plannedLong = Dot(50);
        Assert.Contains(@"weight_hh_l0\n[16,4]", plannedLong);
        Assert.Contains("Scan (planned)", plannedLong);
        Assert.Equal(NodeLabel().Matches(plannedShort).Count, NodeLabel().Matches(plannedLong).Count);
    }

    [Fact]
    public void A_function_of_one_tensor_labels_it_input_and_tracing_leaves_no_level_open()
    {
        string dot = Graph.ToDot(x => Tensor.Sum(x * x), X);
        Assert.Contains(@"input\n[5,2]", dot);
        Assert.Contains(@"Multiply\n[5,2]", dot);
        Assert.Contains(@"constant\n[]", Graph.ToDot(_ => Tensor.Scalar(1.0), X));
        Assert.Equal(2 * X.ToArray()[0], Grad.Gradient(x => Tensor.Sum(x * x), X).ToArray()[0]);
    }

    [Fact]
    public void The_summary_lists_names_shapes_counts_bytes_and_totals()
    {
        var summary = Parameters.Summary();
        Assert.Equal(["w", "b", "unused"], summary.Rows.Select(r => r.Name));
        Assert.Equal(new Shape(2, 3), summary.Rows[0].Shape);
        Assert.Equal([6L, 3L, 4L], summary.Rows.Select(r => r.Count));
        Assert.Equal([48L, 24L, 32L], summary.Rows.Select(r => r.Bytes));
        Assert.Equal(13, summary.TotalCount);
        Assert.Equal(104, summary.TotalBytes);
        var lines = summary.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Matches(@"^w\s+\[2,3\]\s+6\s+48$", lines[2]);
        Assert.Matches(@"^total \(3 parameters, float64\)\s+13\s+104$", lines[^1]);
        var lstm = RecurrentLayer.Lstm<float>(32, 128, new RecurrentLayerOptions { NumLayers = 2 }).Initialize(seed: 1).Summary();
        Assert.Equal(4 * 128 * (32 + 128 + 2) + 4 * 128 * (128 + 128 + 2), lstm.TotalCount);
        Assert.Equal(4 * lstm.TotalCount, lstm.TotalBytes);
        Assert.Contains("float32", lstm.ToString());
        Assert.Contains("215,040", lstm.ToString());
    }

    [GeneratedRegex(@"n(?<id>\d+) \[label=""(?<label>[^""]*)""")]
    private static partial Regex NodeLabel();

    [GeneratedRegex(@"n(?<from>\d+) -> n(?<to>\d+);")]
    private static partial Regex Edge();
}
