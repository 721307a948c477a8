using Autograd.Rnn.Tests.Plans;
using Autograd.Rnn.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>Rows for Tensor.Linear: 2-D and 3-D inputs, and second order through the weight's row-contraction gradient.</summary>
public static class LinearSpecs
{
    // x [rows, in], weight [out, in], bias [out].
    private static Gen<OpCase> Shapes { get; } =
        from d in Generators.Dims(3) select new OpCase([[d[0], d[1]], [d[2], d[1]], [d[2]]], 0);

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Linear", typeof(LinearOp), Shapes, (x, _) => Tensor.Linear(x[0], x[1], x[2])),
        new("Linear 3-D input", typeof(LinearOp),
            from d in Generators.Dims(4) select new OpCase([[d[0], d[1], d[2]], [d[3], d[2]], [d[3]]], 0),
            (x, _) => Tensor.Linear(x[0], x[1], x[2])),
        // The weight's gradient is a row contraction of traced factors here: the sweep must keep it differentiable.
        new("Linear second order", typeof(LinearOp), Shapes,
            (x, _) => Grad.Gradient(w => Tensor.Sum(Tensor.Tanh(Tensor.Linear(x[0], w, x[2]))), x[1])),
    ];
}

/// <summary>Tensor.Linear against MatMulTransposeB followed by Add, its gradients, its plan form and its shape errors.</summary>
public class TensorLinearTests
{
    // Small, a few rows (one short tile), k crossing a slice of the blocked GEMM, and a product large enough to run on two threads.
    public static TheoryData<int, int, int> Sizes => new() { { 5, 7, 3 }, { 3, 70, 40 }, { 33, 65, 300 }, { 257, 129, 300 } };

    /// <summary>
    /// Both are x·Wᵀ + b summed in different orders (Linear starts the sum at b, the pair adds b last), so each is within
    /// γ(k+1)·S of the exact value, S = |b| + Σ|x·w|, and they differ by at most 2(k + 2)·ε·S (ε the type's epsilon, which
    /// is twice the unit roundoff: room to spare).
    /// </summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void Values_equal_the_product_then_the_sum_up_to_summation_order(int rows, int outputs, int inputs)
    {
        Check<float>(rows, outputs, inputs, MathF.BitIncrement(1f) - 1f);
        Check<double>(rows, outputs, inputs, Math.BitIncrement(1.0) - 1);
    }

    private static void Check<T>(int rows, int outputs, int inputs, double epsilon) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Tensor.RandomNormal<T>([rows, inputs], 1);
        var w = Tensor.RandomNormal<T>([outputs, inputs], 2);
        var b = Tensor.RandomNormal<T>([outputs], 3);
        var linear = Tensor.Linear(x, w, b).ToArray();
        var pair = (Tensor.MatMulTransposeB(x, w) + b).ToArray();
        var scale = (Tensor.MatMulTransposeB(Tensor.Abs(x), Tensor.Abs(w)) + Tensor.Abs(b)).ToArray();
        for (int i = 0; i < linear.Length; i++)
        {
            double gap = Math.Abs(double.CreateChecked(linear[i]) - double.CreateChecked(pair[i]));
            double bound = 2 * (inputs + 2) * epsilon * double.CreateChecked(scale[i]);
            Assert.True(gap <= bound, $"{typeof(T).Name} [{rows},{inputs}]·[{outputs},{inputs}]ᵀ: element {i}: {linear[i]} vs {pair[i]}, bound {bound}");
        }
    }

    [Fact]
    public void Integer_valued_inputs_give_the_same_bits_as_the_product_then_the_sum()
    {
        // Small integers: every partial sum is exact in float, so the order of summation cannot show.
        var x = Tensor.FromArray(Enumerable.Range(0, 40 * 9).Select(i => (float)(i % 7 - 3)).ToArray(), 40, 9);
        var w = Tensor.FromArray(Enumerable.Range(0, 20 * 9).Select(i => (float)(i % 5 - 2)).ToArray(), 20, 9);
        var b = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (float)(i - 10)).ToArray(), 20);
        Assert.True(Bits.Same(Tensor.MatMulTransposeB(x, w) + b, Tensor.Linear(x, w, b)));
    }

    [Fact]
    public void Without_a_bias_it_is_the_transposed_product()
    {
        var x = Tensor.RandomNormal<double>([6, 4], 1);
        var w = Tensor.RandomNormal<double>([3, 4], 2);
        Assert.True(Bits.Same(Tensor.MatMulTransposeB(x, w), Tensor.Linear(x, w)));
        Assert.True(Bits.Same(Tensor.MatMulTransposeB(x, w), Tensor.Linear(x, w, null)));
    }

    [Fact]
    public void Leading_dimensions_are_rows_and_a_vector_gives_a_vector()
    {
        var x = Tensor.RandomNormal<double>([2, 3, 4], 1);
        var w = Tensor.RandomNormal<double>([5, 4], 2);
        var b = Tensor.RandomNormal<double>([5], 3);
        var y = Tensor.Linear(x, w, b);
        Assert.Equal(new Shape(2, 3, 5), y.Shape);
        Assert.True(Bits.Same(Tensor.Linear(x.Reshape(6, 4), w, b).Reshape(2, 3, 5), y));
        var row = Tensor.Narrow(x.Reshape(6, 4), 0, 0, 1);
        var v = Tensor.Linear(row.Reshape(4), w, b);
        Assert.Equal(new Shape(5), v.Shape);
        Assert.True(Bits.Same(Tensor.Linear(row, w, b).Reshape(5), v));
    }

    [Fact]
    public void No_input_features_give_the_bias_in_every_row()
    {
        var b = Tensor.FromArray(new[] { 1f, -2f, 3f }, 3);
        var y = Tensor.Linear(Tensor.Zeros<float>(2, 0), Tensor.Zeros<float>(3, 0), b);
        Assert.Equal([1f, -2f, 3f, 1f, -2f, 3f], y.ToArray());
        Assert.Equal(new Shape(0, 3), Tensor.Linear(Tensor.Zeros<float>(0, 4), Tensor.Zeros<float>(3, 4), b).Shape);
    }

    [Fact]
    public void Gradients_summed_over_many_uses_equal_those_of_the_product_then_the_sum()
    {
        // One weight and bias used on three blocks of rows, as the cells' input projection uses them: the weight's
        // gradient comes back as one product of the stacked factors, the bias's as the sum of each block's rows.
        var p = Params<double>.Empty.Add("w", Tensor.RandomNormal<double>([5, 4], 1)).Add("b", Tensor.RandomNormal<double>([5], 2));
        var blocks = new[] { Tensor.RandomNormal<double>([1, 4], 3), Tensor.RandomNormal<double>([7, 4], 4), Tensor.RandomNormal<double>([3, 4], 5) };
        Tensor<double> Loss(Params<double> q, Func<Tensor<double>, Tensor<double>, Tensor<double>, Tensor<double>> affine) =>
            blocks.Select((x, i) => Tensor.Sum(Tensor.Tanh(affine(x, q["w"], q["b"])) * (i + 1.0))).Aggregate((a, c) => a + c);
        var fused = Grad.Gradient(q => Loss(q, (x, w, b) => Tensor.Linear(x, w, b)), p);
        var pair = Grad.Gradient(q => Loss(q, (x, w, b) => Tensor.MatMulTransposeB(x, w) + b), p);
        foreach (var name in p.Names)
            Assert.True(fused[name].AllClose(pair[name], 1e-14, 1e-13), $"{name}: {fused[name]} vs {pair[name]}");
    }

    [Fact]
    public void Vmap_over_the_inputs_with_one_weight_is_one_linear_over_the_stacked_rows()
    {
        var w = Tensor.RandomNormal<double>([3, 4], 1);
        var b = Tensor.RandomNormal<double>([3], 2);
        var xs = Tensor.RandomNormal<double>([5, 2, 4], 3);
        var batched = Grad.Vmap(x => Tensor.Linear(x, w, b), xs);
        Assert.True(Bits.Same(Tensor.Linear(xs.Reshape(10, 4), w, b).Reshape(5, 2, 3), batched));
    }

    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    [Fact]
    public void In_a_plan_it_writes_into_the_plans_buffer_with_the_eager_bits()
    {
        static Tensor<float>[] Step(Tensor<float>[] v) => [Tensor.Tanh(Tensor.Linear(v[0], v[1], v[2]))];
        Tensor<float>[] inputs = [Tensor.RandomNormal<float>([8, 16], 1), Tensor.RandomNormal<float>([32, 16], 2), Tensor.RandomNormal<float>([32], 3)];
        var plan = PlanRecorder.Record(Step, inputs).Plan ?? throw new InvalidOperationException("no plan");
        Assert.Equal(0, plan.KernelOpCount);
        plan.Run(inputs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = plan.Run(inputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8 * 32 * sizeof(float) + 512, $"{allocated} bytes for a [8, 32] result");
        using (Compile.Eagerly()) Assert.True(Bits.Same(Step(inputs)[0], result[0]));
    }

    [Fact]
    public void Shape_errors_name_the_op_and_every_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros<float>(32, 64), Tensor.Zeros<float>(128, 65), Tensor.Zeros<float>(128)));
        Assert.Equal("Linear: x [32,64], weight [128,65], bias [128]: x's last dimension 64 differs from the weight's input size 65.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros<float>(32, 64), Tensor.Zeros<float>(128, 64), Tensor.Zeros<float>(127)));
        Assert.Equal("Linear: x [32,64], weight [128,64], bias [127]: the bias must be [128], one value per output.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros<float>(32, 64), Tensor.Zeros<float>(128, 64), Tensor.Zeros<float>(1, 128)));
        Assert.Contains("the bias must be [128]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros<float>(32, 64), Tensor.Zeros<float>(64)));
        Assert.Equal("Linear: x [32,64], weight [64]: the weight must be 2-D [out, in].", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Scalar(1f), Tensor.Zeros<float>(3, 1)));
        Assert.Contains("x must have at least one dimension", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros<float>(65536, 1), Tensor.Zeros<float>(65536, 1)));
        Assert.StartsWith("Linear: x [65536,1], weight [65536,1]: the result [65536,65536] has", e.Message);
    }
}
