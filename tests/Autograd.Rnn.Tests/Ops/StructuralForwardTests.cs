using Autograd.Rnn.Kernels;

namespace Autograd.Rnn.Tests.Ops;

/// <summary>Forward values of the structural ops and softmax against hand-computed cases, their error messages, and round trips.</summary>
public class StructuralForwardTests
{
    private static Tensor<double> Matrix(double[][] rows) => Tensor.FromRows(rows);

    private static Tensor<double> Range(params int[] shape)
    {
        var values = new double[new Shape(shape).Size];
        for (int i = 0; i < values.Length; i++) values[i] = i;
        return Tensor.FromArray(values, shape);
    }

    private static void AssertTensor(Tensor<double> actual, int[] shape, double[] values)
    {
        Assert.Equal(new Shape(shape), actual.Shape);
        Assert.Equal(values, actual.ToArray());
    }

    // ---- slices that share their parent's buffer ----

    [Fact]
    public void Leading_axis_slices_of_slices_read_the_right_elements()
    {
        // Range(4, 3, 2)[t, b, f] = 6t + 2b + f; a leading-axis slice is a view of the parent's buffer at an offset.
        var x = Range(4, 3, 2);
        var steps = Tensor.Unstack(x, 0);
        AssertTensor(steps[2], [3, 2], [12, 13, 14, 15, 16, 17]);
        var middle = Tensor.Narrow(x, 0, 1, 2);               // view at offset 6
        var inner = Tensor.Narrow(middle, 0, 1, 1);           // view of a view: offset 12
        AssertTensor(inner.Reshape(3, 2), [3, 2], [12, 13, 14, 15, 16, 17]);
        AssertTensor(Tensor.Narrow(inner.Reshape(3, 2), 0, 2, 1), [1, 2], [16, 17]);
        AssertTensor(Tensor.Narrow(inner.Reshape(3, 2), 1, 1, 1), [3, 1], [13, 15, 17]); // a strided slice still copies
        Assert.Equal(17.0, inner[0, 2, 1]);
        AssertTensor(steps[3] + steps[0], [3, 2], [18, 20, 22, 24, 26, 28]);
        Assert.Equal(x.ToArray(), Range(4, 3, 2).ToArray()); // the parent is untouched
    }

    // ---- transpose and permute ----

    [Fact]
    public void Transpose_of_a_matrix_swaps_rows_and_columns()
    {
        var x = Matrix([[1, 2, 3], [4, 5, 6]]);
        AssertTensor(x.Transpose(), [3, 2], [1, 4, 2, 5, 3, 6]);
        AssertTensor(Tensor.Transpose(x), [3, 2], [1, 4, 2, 5, 3, 6]);
    }

    [Fact]
    public void Transpose_of_batch_and_time_keeps_feature_rows_together()
    {
        // x [batch 2, time 3, features 2]: x[b, t, f] = 6b + 2t + f.
        var y = Range(2, 3, 2).Transpose(0, 1);
        AssertTensor(y, [3, 2, 2], [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]);
        Assert.Equal(y.ToArray(), Range(2, 3, 2).Transpose(-2, -3).ToArray());
    }

    [Fact]
    public void Transpose_of_an_axis_with_itself_is_the_same_tensor()
    {
        var x = Range(2, 3);
        Assert.Same(x, x.Transpose(1, -1));
    }

    [Fact]
    public void Permute_matches_index_arithmetic_for_every_permutation_of_rank_four()
    {
        int[] dims = [2, 3, 1, 4];
        var x = Range(dims);
        foreach (var axes in Permutations([0, 1, 2, 3]))
        {
            var y = x.Permute(axes);
            Assert.Equal(axes.Select(a => dims[a]).ToArray(), y.Shape.ToArray());
            var index = new int[4];
            var source = new int[4];
            for (index[0] = 0; index[0] < y.Shape[0]; index[0]++)
                for (index[1] = 0; index[1] < y.Shape[1]; index[1]++)
                    for (index[2] = 0; index[2] < y.Shape[2]; index[2]++)
                        for (index[3] = 0; index[3] < y.Shape[3]; index[3]++)
                        {
                            for (int a = 0; a < 4; a++) source[axes[a]] = index[a];
                            Assert.Equal(x[source], y[index]);
                        }
        }
    }

    [Fact]
    public void Permute_kernel_handles_empty_and_single_element_tensors()
    {
        var empty = Tensor.Zeros<double>(2, 0, 3).Permute(2, 0, 1);
        Assert.Equal(new Shape(3, 2, 0), empty.Shape);
        var destination = new double[1];
        CopyKernels.Permute<double>([7.0], [1, 1], [1, 0], destination);
        Assert.Equal(7.0, destination[0]);
    }

    [Fact]
    public void Permute_rejects_repeated_or_missing_axes()
    {
        var x = Range(2, 3, 4);
        Assert.Contains("Permute", Assert.Throws<ArgumentException>(() => x.Permute(0, 0, 1)).Message);
        Assert.Contains("[2,3,4]", Assert.Throws<ArgumentException>(() => x.Permute(0, 1)).Message);
        Assert.Contains("Permute: axis 3", Assert.Throws<ArgumentOutOfRangeException>(() => x.Permute(0, 1, 3)).Message);
    }

    [Fact]
    public void Transpose_without_axes_needs_a_matrix()
    {
        var message = Assert.Throws<ArgumentException>(() => Range(2, 3, 4).Transpose()).Message;
        Assert.Contains("Transpose", message);
        Assert.Contains("[2,3,4]", message);
        Assert.Contains("Transpose: axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => Range(2, 3).Transpose(0, 2)).Message);
    }

    // ---- concat, narrow, pad, slice ----

    [Fact]
    public void Concat_joins_along_the_given_axis()
    {
        var a = Matrix([[1, 2], [3, 4]]);
        var b = Matrix([[5, 6]]);
        var c = Matrix([[7], [8]]);
        AssertTensor(Tensor.Concat([a, b]), [3, 2], [1, 2, 3, 4, 5, 6]);
        AssertTensor(Tensor.Concat([a, c, a], 1), [2, 5], [1, 2, 7, 1, 2, 3, 4, 8, 3, 4]);
        AssertTensor(Tensor.Concat([a, c], -1), [2, 3], [1, 2, 7, 3, 4, 8]);
    }

    [Fact]
    public void Concat_of_one_tensor_is_that_tensor()
    {
        var a = Range(2, 2);
        Assert.Same(a, Tensor.Concat([a], 1));
    }

    [Fact]
    public void Concat_names_the_op_and_the_shapes_when_they_differ()
    {
        var message = Assert.Throws<ArgumentException>(() => Tensor.Concat([Range(2, 3), Range(2, 4)], 0)).Message;
        Assert.Contains("Concat: [2,3] and [2,4] differ outside axis 0", message);
        Assert.Contains("[2,3] and [2,3,1]", Assert.Throws<ArgumentException>(() => Tensor.Concat([Range(2, 3), Range(2, 3, 1)], 1)).Message);
        Assert.Contains("Concat: no tensors", Assert.Throws<ArgumentException>(() => Tensor.Concat(Array.Empty<Tensor<double>>())).Message);
        Assert.Contains("Concat: axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Concat([Range(2, 3), Range(2, 3)], 2)).Message);
        Assert.Contains("Concat", Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Scalar(1.0)])).Message);
    }

    [Fact]
    public void Narrow_takes_a_range_of_positions_along_an_axis()
    {
        var x = Range(2, 4); // [[0,1,2,3],[4,5,6,7]]
        AssertTensor(x.Narrow(1, 1, 2), [2, 2], [1, 2, 5, 6]);
        AssertTensor(x.Narrow(-2, 1, 1), [1, 4], [4, 5, 6, 7]);
        AssertTensor(x.Narrow(1, 4, 0), [2, 0], []);
        Assert.Same(x, x.Narrow(0, 0, 2));
    }

    [Fact]
    public void Narrow_out_of_bounds_names_the_op_the_range_and_the_shape()
    {
        var x = Range(2, 4);
        var message = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 3, 2)).Message;
        Assert.Contains("Narrow: start 3 and length 2", message);
        Assert.Contains("[2,4]", message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, -1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 0, -1));
        Assert.Contains("Narrow: axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(2, 0, 1)).Message);
    }

    [Fact]
    public void Pad_surrounds_with_zeros_and_undoes_narrow()
    {
        var x = Matrix([[1, 2], [3, 4]]);
        AssertTensor(x.Pad(1, 1, 2), [2, 5], [0, 1, 2, 0, 0, 0, 3, 4, 0, 0]);
        AssertTensor(x.Pad(0, 0, 1), [3, 2], [1, 2, 3, 4, 0, 0]);
        Assert.Equal(x.ToArray(), x.Pad(-1, 3, 1).Narrow(-1, 3, 2).ToArray());
        Assert.Contains("Pad", Assert.Throws<ArgumentOutOfRangeException>(() => x.Pad(0, -1, 0)).Message);
    }

    [Fact]
    public void Slice_follows_python_rules()
    {
        var x = Range(6);
        AssertTensor(x.Slice(0, -2), [2], [4, 5]);
        AssertTensor(x.Slice(0, 1, -1), [4], [1, 2, 3, 4]);
        AssertTensor(x.Slice(0, -100, 100), [6], [0, 1, 2, 3, 4, 5]);
        AssertTensor(x.Slice(0, 4, 2), [0], []);
        AssertTensor(Range(2, 3).Slice(1, 1, 2), [2, 1], [1, 4]);
    }

    // ---- split, chunk, stack, unstack ----

    [Fact]
    public void Split_cuts_pieces_of_the_given_sizes_and_concat_puts_them_back()
    {
        var x = Range(2, 5);
        var pieces = x.Split(1, 2, 0, 3);
        Assert.Equal(3, pieces.Length);
        AssertTensor(pieces[0], [2, 2], [0, 1, 5, 6]);
        AssertTensor(pieces[1], [2, 0], []);
        AssertTensor(pieces[2], [2, 3], [2, 3, 4, 7, 8, 9]);
        Assert.Equal(x.ToArray(), Tensor.Concat(pieces, 1).ToArray());
    }

    [Fact]
    public void Split_sizes_must_add_up_to_the_axis()
    {
        var message = Assert.Throws<ArgumentException>(() => Range(2, 4).Split(1, 2, 3)).Message;
        Assert.Contains("Split: sizes [2,3] add up to 5", message);
        Assert.Contains("[2,4]", message);
        Assert.Throws<ArgumentException>(() => Range(2, 4).Split(1, 5, -1));
    }

    [Fact]
    public void Chunk_follows_pytorch_sizes()
    {
        var x = Range(5, 2);
        Assert.Equal([2, 2, 1], x.Chunk(4).Select(p => p.Shape[0]).ToArray());
        Assert.Equal([2, 2, 1], x.Chunk(3).Select(p => p.Shape[0]).ToArray());
        Assert.Equal([1, 1, 1, 1, 1], x.Chunk(9).Select(p => p.Shape[0]).ToArray());
        var gates = Range(2, 8).Chunk(4, -1);
        Assert.Equal(4, gates.Length);
        AssertTensor(gates[3], [2, 2], [6, 7, 14, 15]);
        Assert.Equal(x.ToArray(), Tensor.Concat(x.Chunk(2)).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Chunk(0));
    }

    [Fact]
    public void Stack_adds_a_new_axis_and_unstack_removes_it()
    {
        var a = Matrix([[1, 2, 3], [4, 5, 6]]);
        var b = Matrix([[7, 8, 9], [10, 11, 12]]);
        AssertTensor(Tensor.Stack([a, b]), [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        AssertTensor(Tensor.Stack([a, b], 1), [2, 2, 3], [1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12]);
        AssertTensor(Tensor.Stack([a, b], -1), [2, 3, 2], [1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12]);
        AssertTensor(Tensor.Stack([Tensor.Scalar(1.0), Tensor.Scalar(2.0)]), [2], [1, 2]);

        for (int axis = -3; axis < 3; axis++)
        {
            var slices = Tensor.Stack([a, b, a], axis).Unstack(axis);
            Assert.Equal(3, slices.Length);
            Assert.Equal(a.ToArray(), slices[0].ToArray());
            Assert.Equal(b.ToArray(), slices[1].ToArray());
            Assert.Equal(new Shape(2, 3), slices[2].Shape);
        }
    }

    [Fact]
    public void Unstack_then_stack_is_the_identity()
    {
        var x = Range(2, 3, 4);
        for (int axis = 0; axis < 3; axis++)
            Assert.Equal(x.ToArray(), Tensor.Stack(x.Unstack(axis), axis).ToArray());
        Assert.Equal(3, x.Unstack(1).Length);
        Assert.Equal(new Shape(2, 4), x.Unstack(1)[0].Shape);
    }

    [Fact]
    public void Stack_names_the_op_and_the_shapes_when_they_differ()
    {
        var message = Assert.Throws<ArgumentException>(() => Tensor.Stack([Range(2, 3), Range(3, 2)])).Message;
        Assert.Contains("Stack: [2,3] and [3,2] differ", message);
        Assert.Contains("Stack: no tensors", Assert.Throws<ArgumentException>(() => Tensor.Stack(Array.Empty<Tensor<double>>())).Message);
        Assert.Contains("Stack: axis 3", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack([Range(2, 3)], 3)).Message);
        Assert.Contains("Unstack: axis", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Scalar(1.0).Unstack()).Message);
    }

    // ---- gather and scatter-add ----

    [Fact]
    public void GatherRows_looks_up_embedding_rows()
    {
        var table = Matrix([[0, 1], [10, 11], [20, 21]]);
        AssertTensor(table.GatherRows([2, 0, 2]), [3, 2], [20, 21, 0, 1, 20, 21]);
        AssertTensor(Tensor.GatherRows(table, [1, 2, 0, 0, 1, 1], [2, 3]), [2, 3, 2], [10, 11, 20, 21, 0, 1, 0, 1, 10, 11, 10, 11]);
        AssertTensor(table.GatherRows([]), [0, 2], []);
    }

    [Fact]
    public void GatherRows_copies_its_indices()
    {
        var table = Matrix([[0, 1], [10, 11]]);
        int[] indices = [1];
        var gradient = Grad.Gradient(t =>
        {
            var rows = t.GatherRows(indices);
            indices[0] = 0; // a caller changing the array afterwards must not change the graph
            return Tensor.Sum(rows);
        }, table);
        Assert.Equal([0.0, 0.0, 1.0, 1.0], gradient.ToArray());
    }

    [Fact]
    public void GatherRows_out_of_range_names_the_op_the_index_and_the_table_size()
    {
        var table = Range(5, 3);
        var message = Assert.Throws<ArgumentOutOfRangeException>(() => table.GatherRows([1, 7])).Message;
        Assert.Contains("GatherRows: index 7", message);
        Assert.Contains("5 rows", message);
        Assert.Contains("index -1", Assert.Throws<ArgumentOutOfRangeException>(() => table.GatherRows([-1])).Message);
        Assert.Contains("GatherRows: index shape [2,2]", Assert.Throws<ArgumentException>(() => table.GatherRows([0, 1, 2], [2, 2])).Message);
        Assert.Contains("GatherRows", Assert.Throws<ArgumentException>(() => Tensor.Scalar(1.0).GatherRows([0])).Message);
    }

    [Fact]
    public void ScatterAddRows_accumulates_repeated_indices()
    {
        var values = Matrix([[1, 2], [3, 4], [5, 6]]);
        AssertTensor(Tensor.ScatterAddRows(values, [2, 0, 2], 4), [4, 2], [3, 4, 0, 0, 6, 8, 0, 0]);
        var message = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.ScatterAddRows(values, [0, 1, 4], 4)).Message;
        Assert.Contains("ScatterAddRows: index 4", message);
        Assert.Contains("ScatterAddRows: values [3,2]", Assert.Throws<ArgumentException>(() => Tensor.ScatterAddRows(values, [0, 1], 4)).Message);
    }

    [Fact]
    public void Gradient_of_an_embedding_lookup_counts_repeated_rows()
    {
        var table = Range(4, 2);
        var gradient = Grad.Gradient(t => Tensor.Sum(Tensor.GatherRows(t, [3, 1, 3, 3], [2, 2])), table);
        AssertTensor(gradient, [4, 2], [0, 0, 1, 1, 0, 0, 3, 3]);
    }

    [Fact]
    public void Concat_sends_gradients_only_to_traced_inputs()
    {
        var constant = Range(2, 1);
        var gradient = Grad.Gradient(v => Tensor.Sum(Tensor.Concat([constant, v, constant], 1) * Range(2, 4)), Range(2, 2));
        AssertTensor(gradient, [2, 2], [1, 2, 5, 6]);
    }

    // ---- softmax ----

    [Fact]
    public void Softmax_matches_the_definition()
    {
        var y = Tensor.FromArray([1.0, 2.0, 3.0]).Softmax();
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.True(y.AllClose(Tensor.FromArray([Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z]), 1e-14, 0));
        var log = Tensor.FromArray([1.0, 2.0, 3.0]).LogSoftmax();
        Assert.True(log.AllClose(Tensor.FromArray([1 - Math.Log(z), 2 - Math.Log(z), 3 - Math.Log(z)]), 1e-14, 1e-15));
    }

    [Fact]
    public void Softmax_rows_sum_to_one_along_any_axis()
    {
        var x = Tensor.RandomNormal<double>([3, 4, 5], 7, standardDeviation: 5);
        for (int axis = -3; axis < 3; axis++)
        {
            var sums = Tensor.Softmax(x, axis).Sum(axis);
            Assert.True(sums.AllClose(Tensor.OnesLike(sums), 1e-14, 1e-14), $"axis {axis}: {sums}");
            Assert.True(Tensor.Exp(Tensor.LogSoftmax(x, axis)).AllClose(Tensor.Softmax(x, axis), 1e-12, 1e-15));
        }
    }

    [Fact]
    public void Softmax_does_not_overflow_at_plus_or_minus_1000()
    {
        var x = Matrix([[1000, 1000], [-1000, -1000], [1000, -1000], [-1000, -999]]);
        AssertClose(x.Softmax(), [0.5, 0.5, 0.5, 0.5, 1, 0, 1 / (1 + Math.E), Math.E / (1 + Math.E)]);
        AssertClose(x.LogSoftmax(), [-Math.Log(2), -Math.Log(2), -Math.Log(2), -Math.Log(2), 0, -2000,
            -1 - Math.Log(1 + Math.Exp(-1)), -Math.Log(1 + Math.Exp(-1))]);

        var single = Tensor.FromArray([1000f, 999f, -1000f]).Softmax().ToArray();
        Assert.All(single, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, single.Sum(), 5);

        var gradient = Grad.Gradient(v => Tensor.Sum(v.Softmax() * Range(4, 2)), x);
        Assert.All(gradient.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Softmax_axis_out_of_range_names_the_op()
    {
        Assert.Contains("Softmax: axis 2", Assert.Throws<ArgumentOutOfRangeException>(() => Range(2, 3).Softmax(2)).Message);
        Assert.Contains("LogSoftmax: axis", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Scalar(1.0).LogSoftmax()).Message);
    }

    private static void AssertClose(Tensor<double> actual, double[] expected)
    {
        var values = actual.ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 1e-12);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, j) => j != i).ToArray()))
                yield return [items[i], .. rest];
    }
}
