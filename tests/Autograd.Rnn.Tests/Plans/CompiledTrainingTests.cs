using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A compiled function called under one Grad level runs its forward plan and is recorded as one op whose VJP is its
/// backward plan: the value is the eager bits, the gradients the eager ones (summed in the plan's order), the plans are
/// recorded once per set of shapes, and anything the plan cannot stand for (an enclosing level, several results, reading
/// values) runs eagerly with the eager results.
/// </summary>
public class CompiledTrainingTests
{
    // A layer-norm input projection, as a user cell declares it: LayerNorm(x·Wᵀ) with a gain and a bias.
    private static Tensor<double> Projection(Tensor<double>[] v) =>
        Tensor.LayerNorm(Tensor.MatMulTransposeB(v[0], v[1]), v[2], v[3]);

    private static Tensor<double>[] Inputs(int rows, ulong seed) =>
    [
        Tensor.RandomNormal<double>([rows, 3], seed), Tensor.RandomNormal<double>([8, 3], seed + 1),
        Tensor.RandomNormal<double>([8], seed + 2), Tensor.RandomNormal<double>([8], seed + 3),
    ];

    private static Params<double> AsParams(Tensor<double>[] inputs) =>
        Params<double>.Empty.Add("x", inputs[0]).Add("w", inputs[1]).Add("gain", inputs[2]).Add("bias", inputs[3]);

    private static readonly Tensor<double> Weights = Tensor.FromArray([1.0, -2, 3, 0.5, -1, 2, 0.25, 1], 8);

    private static Tensor<double> Loss(Func<Tensor<double>[], Tensor<double>[]> f, Params<double> p) =>
        Tensor.Sum(Tensor.Tanh(f([p["x"], p["w"], p["gain"], p["bias"]])[0]) * Weights);

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_compiled_function_trains_as_one_planned_op_recorded_once_per_shape()
    {
        var compiled = new CompiledFunction<double>(v => [Projection(v)]);
        foreach (var (rows, seed) in new[] { (5, 1UL), (5, 11UL), (7, 21UL), (5, 31UL) })
        {
            var parameters = AsParams(Inputs(rows, seed));
            int planned = 0;
            var viaPlan = Grad.ValueAndGrad(p =>
            {
                var loss = Loss(compiled.Invoke, p);
                planned = PlannedTrainingProperties.OpCount(loss, "Compiled function (planned)");
                return loss;
            }, parameters);
            GradientResult<double> eager;
            using (Compile.Eagerly()) eager = Grad.ValueAndGrad(p => Loss(v => [Projection(v)], p), parameters);
            Assert.Equal(1, planned);
            Assert.True(Bits.Same(viaPlan.Value, eager.Value), $"rows {rows}: value");
            foreach (var name in eager.Gradients.Names)
                Assert.True(viaPlan.Gradients[name].AllClose(eager.Gradients[name], 1e-12, 1e-13), $"rows {rows}: {name}");
        }
        Assert.Equal(2, compiled.TrainingRecordings); // 5 rows, then 7
        Assert.Null(compiled.LastReason);
    }

    [Fact]
    public void Gradients_of_gradients_through_a_compiled_function_run_eagerly_and_match()
    {
        var compiled = Compile.Function<double>(v => [Projection(v)]);
        var parameters = AsParams(Inputs(4, 3));
        var direction = parameters.Map(t => Tensor.OnesLike(t) * 0.5);
        var viaCompiled = Grad.Hvp(p => Loss(compiled, p), parameters, direction).HessianVector;
        Params<double> eager;
        using (Compile.Eagerly()) eager = Grad.Hvp(p => Loss(v => [Projection(v)], p), parameters, direction).HessianVector;
        foreach (var name in eager.Names)
            Assert.True(viaCompiled[name].AllClose(eager[name], 1e-12, 1e-13), name);
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_function_with_two_results_or_one_that_reads_values_runs_eagerly_under_grad()
    {
        var twoResults = new CompiledFunction<double>(v => [Projection(v), Tensor.Exp(v[0])]);
        var readsValues = new CompiledFunction<double>(v => [v[0].Sum().Item > 0 ? Projection(v) : -Projection(v)]);
        var parameters = AsParams(Inputs(5, 4));
        foreach (var (compiled, reference) in new (CompiledFunction<double>, Func<Tensor<double>[], Tensor<double>[]>)[]
        {
            (twoResults, v => [Projection(v), Tensor.Exp(v[0])]),
            (readsValues, v => [v[0].Sum().Item > 0 ? Projection(v) : -Projection(v)]),
        })
        {
            var viaCompiled = Grad.ValueAndGrad(p => Loss(compiled.Invoke, p), parameters);
            GradientResult<double> eager;
            using (Compile.Eagerly()) eager = Grad.ValueAndGrad(p => Loss(reference, p), parameters);
            Assert.True(Bits.Same(viaCompiled.Value, eager.Value));
            foreach (var name in eager.Gradients.Names)
                Assert.True(Bits.Same(viaCompiled.Gradients[name], eager.Gradients[name]), name);
        }
        Assert.Contains("one result", twoResults.LastReason);
        Assert.NotNull(readsValues.LastReason);
    }

    [Fact]
    public void Two_threads_training_through_one_compiled_function_get_their_own_gradients()
    {
        var compiled = Compile.Function<double>(v => [Projection(v)]);
        var inputs = new[] { AsParams(Inputs(1024, 1)), AsParams(Inputs(1024, 2)) };
        var expected = new Params<double>[2];
        using (Compile.Eagerly())
            for (int i = 0; i < 2; i++) expected[i] = Grad.ValueAndGrad(p => Loss(v => [Projection(v)], p), inputs[i]).Gradients;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            for (int call = 0; call < 40; call++)
            {
                try
                {
                    var gradients = Grad.ValueAndGrad(p => Loss(compiled, p), inputs[i]).Gradients;
                    foreach (var name in gradients.Names)
                        if (!gradients[name].AllClose(expected[i][name], 1e-12, 1e-13)) failures.Add($"thread {i}, call {call}: {name}");
                }
                catch (Exception e)
                {
                    failures.Add($"thread {i}, call {call}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
    }
}
