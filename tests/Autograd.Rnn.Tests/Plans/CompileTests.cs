using Autograd.Rnn.TestSupport;
namespace Autograd.Rnn.Tests.Plans;

[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class CompileTests
{
    private static Tensor<float>[] LstmStep(Tensor<float>[] v)
    {
        var (h, c, projected, weight) = (v[0], v[1], v[2], v[3]);
        var gates = Tensor.Chunk(projected + Tensor.MatMulTransposeB(h, weight), 4, axis: 1);
        var cNext = Tensor.Sigmoid(gates[1]) * c + Tensor.Sigmoid(gates[0]) * Tensor.Tanh(gates[2]);
        return [Tensor.Sigmoid(gates[3]) * Tensor.Tanh(cNext), cNext];
    }

    private static Tensor<float>[] LstmInputs(int batch, int hidden, ulong seed) =>
    [
        Tensor.RandomNormal<float>([batch, hidden], seed), Tensor.RandomNormal<float>([batch, hidden], seed + 1),
        Tensor.RandomNormal<float>([batch, 4 * hidden], seed + 2), Tensor.RandomNormal<float>([4 * hidden, hidden], seed + 3, 0, 0.2),
    ];

    [Theory]
    [InlineData(3)]
    [InlineData(1)] // at batch 1 each gate is one run of the product, which the eager kernel shares: the plan copies it
    public void An_lstm_step_becomes_one_product_four_column_copies_and_two_fused_regions_with_no_allocating_kernel(int batch)
    {
        var compiled = new CompiledFunction<float>(LstmStep);
        compiled.Invoke(LstmInputs(batch, 8, 1));
        var plan = PlanOf(compiled, LstmInputs(batch, 8, 1));
        Assert.Equal(0, plan.KernelOpCount);
        Assert.Equal(1 + 4 + 2, plan.InstructionCount);
        Assert.Equal(1 + 3 + 2 + 3 + 1, plan.FusedOpCount);
    }

    [Fact]
    public void A_replayed_lstm_step_allocates_its_two_results_and_little_else()
    {
        var inputs = LstmInputs(4, 32, 1);
        var plan = PlanOf(new CompiledFunction<float>(LstmStep), inputs);
        plan.Run(inputs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        plan.Run(inputs);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        const long results = 2 * 4 * 32 * sizeof(float);
        Assert.True(allocated < results + 512, $"{allocated} bytes for {results} bytes of results");
    }

    [Theory]
    [InlineData(300, 700)]
    [InlineData(1000, 67)] // rows shorter than a block: the bias wraps inside every block
    public void A_region_split_between_threads_broadcasts_a_row_vector_with_the_eager_bits(int rows, int columns)
    {
        var weight = Tensor.RandomNormal<double>([rows, columns], seed: 3);
        var bias = Tensor.RandomNormal<double>([columns], seed: 4);
        Tensor<double> Function(Tensor<double> x) => Tensor.Tanh(x * weight + bias) * Tensor.Sigmoid(x - bias);
        Assert.True(rows * columns >= FusedRegion<double>.ParallelThreshold);
        var compiled = Compile.Function<double>(Function);
        for (ulong call = 0; call < 2; call++)
        {
            var x = Tensor.RandomNormal<double>([rows, columns], seed: 5 + call);
            var planned = compiled(x);
            Tensor<double> eager;
            using (Compile.Eagerly()) eager = Function(x);
            Assert.True(Bits.Same(planned, eager), $"call {call}");
        }
    }

    [Theory]
    [InlineData(1, 32)]
    [InlineData(7, 40)]
    [InlineData(64, 64)] // regions larger than one block
    [InlineData(96, 256)] // a gate region past FusedRegion.ParallelThreshold: its blocks are shared out between threads
    [InlineData(67, 250)] // the same, with a short last block
    public void A_compiled_lstm_step_gives_the_eager_bits_on_every_call(int batch, int hidden)
    {
        var compiled = Compile.Function<float>(LstmStep);
        for (ulong call = 0; call < 3; call++)
        {
            var inputs = LstmInputs(batch, hidden, 10 * call);
            var planned = compiled(inputs);
            Tensor<float>[] eager;
            using (Compile.Eagerly()) eager = LstmStep(inputs);
            Assert.True(Bits.Same(planned[0], eager[0]) && Bits.Same(planned[1], eager[1]), $"call {call}");
        }
    }

    [Fact]
    public void Results_handed_out_are_never_written_by_later_calls()
    {
        var compiled = Compile.Function<float>(LstmStep);
        compiled(LstmInputs(2, 4, 1));
        var first = compiled(LstmInputs(2, 4, 2));
        var copy = first[0].ToArray();
        compiled(LstmInputs(2, 4, 3));
        Assert.Equal(copy, first[0].ToArray());
    }

    [Fact]
    public void A_function_that_reads_a_traced_value_is_not_planned_and_stays_right_when_the_value_changes()
    {
        // Branches on data: a replay of the first call's branch would be wrong for the second input.
        Tensor<float> Branchy(Tensor<float> x) => x.Sum().Item > 0 ? Tensor.Tanh(x) : Tensor.Sigmoid(x);
        var compiled = new CompiledFunction<float>(v => [Branchy(v[0])]);
        var positive = Tensor.FromArray([1f, 2f], 2);
        var negative = Tensor.FromArray([-1f, -2f], 2);
        Assert.Equal(Tensor.Tanh(positive).ToArray(), compiled.Invoke([positive])[0].ToArray());
        Assert.Contains("Item", compiled.LastReason);
        Assert.Equal(Tensor.Sigmoid(negative).ToArray(), compiled.Invoke([negative])[0].ToArray());
        Assert.Equal(1, compiled.Recordings);
    }

    [Fact]
    public void A_function_that_takes_a_where_mask_from_its_input_is_not_planned()
    {
        Tensor<float> Masked(Tensor<float> x) => Tensor.Where(Tensor.Relu(x), x, Tensor.Scalar(0f));
        var compiled = new CompiledFunction<float>(v => [Masked(v[0])]);
        compiled.Invoke([Tensor.FromArray([1f, -2f], 2)]);
        Assert.NotNull(compiled.LastReason);
        var other = Tensor.FromArray([-3f, 4f], 2);
        Assert.Equal(Masked(other).ToArray(), compiled.Invoke([other])[0].ToArray());
    }

    [Fact]
    public void New_shapes_record_a_new_plan()
    {
        var compiled = new CompiledFunction<float>(LstmStep);
        foreach (var (batch, hidden) in new[] { (2, 4), (3, 4), (2, 4), (3, 5) })
        {
            var inputs = LstmInputs(batch, hidden, (ulong)(batch * hidden));
            var planned = compiled.Invoke(inputs);
            Tensor<float>[] eager;
            using (Compile.Eagerly()) eager = LstmStep(inputs);
            Assert.True(Bits.Same(planned[0], eager[0]));
        }
        Assert.Equal(3, compiled.Recordings);
        Assert.Null(compiled.LastReason);
    }

    [Fact]
    public void A_closure_over_a_value_traced_by_an_enclosing_grad_call_runs_eagerly_so_its_gradient_flows()
    {
        var x = Tensor.FromArray([0.5, -1.0], 2);
        var gradient = Grad.Gradient(w =>
        {
            var compiled = new CompiledFunction<double>(v => [v[0] * w]);
            var y = compiled.Invoke([Tensor.FromArray([1.0, 2.0], 2)])[0];
            Assert.NotNull(compiled.LastReason);
            return y.Sum();
        }, x);
        Assert.Equal([1.0, 2.0], gradient.ToArray());
    }

    [Fact]
    public void Inputs_and_outputs_may_pass_through_unchanged_and_constants_are_kept()
    {
        var constant = Tensor.FromArray([3f, 4f], 2);
        var compiled = Compile.Function<float>(v => [v[0], constant, Tensor.Reshape(v[0] * 2f, 2, 1)]);
        compiled([Tensor.FromArray([1f, 1f], 2)]);
        var x = Tensor.FromArray([5f, 6f], 2);
        var result = compiled([x]);
        Assert.Same(x, result[0]);
        Assert.Equal([3f, 4f], result[1].ToArray());
        Assert.Equal([10f, 12f], result[2].ToArray());
        Assert.Equal(new Shape(2, 1), result[2].Shape);
    }

    [Fact]
    public void Compiled_parameter_functions_reuse_the_plan_for_new_parameter_values()
    {
        var forward = Compile.Function<float>((Params<float> p, Tensor<float> x) => Tensor.Tanh(x.MatMul(p["w"]) + p["b"]));
        var p1 = Params<float>.Empty.Add("w", Tensor.RandomNormal<float>([3, 2], 1)).Add("b", Tensor.RandomNormal<float>([2], 2));
        var p2 = Params<float>.Empty.Add("w", Tensor.RandomNormal<float>([3, 2], 3)).Add("b", Tensor.RandomNormal<float>([2], 4));
        var x = Tensor.RandomNormal<float>([4, 3], 5);
        forward(p1, x);
        Assert.True(Bits.Same(Tensor.Tanh(x.MatMul(p2["w"]) + p2["b"]), forward(p2, x)));
    }

    private static Plan<float> PlanOf(CompiledFunction<float> compiled, Tensor<float>[] inputs) =>
        PlanRecorder.Record(LstmStep, inputs).Plan ?? throw new InvalidOperationException("no plan");
}
