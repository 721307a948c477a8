using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Scan runs a cell's input projection through a compiled function when the projection captures nothing: one with
/// elementwise work after its product (a layer norm) trains as one planned op per block of steps, with the eager
/// gradients; a product with a bias stays the eager ops; a projection that captures something is never compiled. In
/// training, the projected inputs of such a cell live in the level's scratch, which the next training step writes again.
/// </summary>
public class PlannedProjectionTests
{
    private static Tensor<double> LayerNormProjection(Params<double> p, Tensor<double> x) =>
        Tensor.LayerNorm(Tensor.MatMulTransposeB(x, p["weight_ih"]), p["ln_weight"], p["ln_bias"]);

    private static RecurrentState<double> Step(Params<double> p, RecurrentState<double> state, Tensor<double> projected) =>
        RecurrentState<double>.Of(Tensor.Tanh(projected + Tensor.MatMulTransposeB(state.Hidden, p["weight_hh"])));

    private static Params<double> Init(int input, int hidden, ulong seed) => Params<double>.Empty
        .Add("weight_ih", Tensor.RandomNormal<double>([hidden, input], seed, 0, 0.5))
        .Add("weight_hh", Tensor.RandomNormal<double>([hidden, hidden], seed + 1, 0, 0.3))
        .Add("ln_weight", Tensor.RandomNormal<double>([hidden], seed + 2, 1, 0.1))
        .Add("ln_bias", Tensor.RandomNormal<double>([hidden], seed + 3, 0, 0.1));

    private static (GradientResult<double> Result, int PlannedCalls) Train(Cell<double> cell, Params<double> parameters, Tensor<double> input)
    {
        var layer = new RecurrentLayer<double>(cell, 3, 6);
        int planned = 0;
        var result = Grad.ValueAndGrad(p =>
        {
            var loss = Tensor.Sum(Tensor.Tanh(layer.Apply(p, p["input"]).Output));
            planned = PlannedTrainingProperties.OpCount(loss, "Compiled function (planned)");
            return loss;
        }, parameters.Add("input", input));
        return (result, planned);
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_layer_norm_projection_trains_planned_with_the_eager_gradients()
    {
        var cell = new Cell<double>("layer-norm RNN", Step, Init, inputProjection: LayerNormProjection);
        var parameters = new RecurrentLayer<double>(cell, 3, 6).Initialize(seed: 5);
        foreach (var (steps, seed) in new[] { (4, 1UL), (9, 2UL), (4, 3UL) })
        {
            var input = Tensor.RandomNormal<double>([steps, 2, 3], seed);
            var (planned, calls) = Train(cell, parameters, input);
            Assert.True(calls >= 1, $"T = {steps}: the projection was not planned");
            GradientResult<double> eager;
            using (Compile.Eagerly()) eager = Train(cell, parameters, input).Result;
            Assert.True(planned.Value.AllClose(eager.Value, 1e-12, 1e-13), $"T = {steps}: value");
            foreach (var name in eager.Gradients.Names)
                Assert.True(planned.Gradients[name].AllClose(eager.Gradients[name], 1e-10, 1e-12), $"T = {steps}: {name}");
        }
    }

    [Fact]
    public void A_product_with_a_bias_and_a_capturing_projection_run_their_eager_ops()
    {
        var input = Tensor.RandomNormal<double>([5, 2, 3], 7);
        var lstm = Cells.Lstm<double>();
        Assert.Equal(0, Train(lstm, new RecurrentLayer<double>(lstm, 3, 6).Initialize(seed: 1), input).PlannedCalls);

        var scale = Tensor.Scalar(2.0);
        var capturing = new Cell<double>("scaled layer-norm RNN", Step, Init,
            inputProjection: (p, x) => LayerNormProjection(p, x) * scale);
        Assert.Equal(0, Train(capturing, new RecurrentLayer<double>(capturing, 3, 6).Initialize(seed: 1), input).PlannedCalls);
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_compiled_function_with_a_capacity_keeps_the_most_recently_used_shapes()
    {
        var compiled = new CompiledFunction<double>(v => [Tensor.Tanh(v[0] * v[1] + v[1])], capacity: 2);
        var weight = Tensor.RandomNormal<double>([3], 1);
        foreach (int rows in new[] { 1, 2, 1, 3, 2, 3 })
        {
            var x = Tensor.RandomNormal<double>([rows, 3], (ulong)rows);
            Grad.Gradient(w => Tensor.Sum(compiled.Invoke([x, w])[0]), weight);
        }
        // 1, 2, (1 again: kept), 3 (drops 2, the least recently used), 2 (drops 1), (3 again: kept)
        Assert.Equal(4, compiled.TrainingRecordings);
    }

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void A_repeated_training_step_writes_its_projected_inputs_into_the_levels_scratch()
    {
        var layer = RecurrentLayer.Lstm<float>(8, 64);
        var parameters = layer.Initialize(seed: 1);
        const int steps = 100, batch = 16;
        GradientResult<float> Step(ulong seed)
        {
            var input = Tensor.RandomNormal<float>([steps, batch, 8], seed);
            return Grad.ValueAndGrad(p => Tensor.Sum(Tensor.Tanh(layer.Apply(p, input).Output)), parameters);
        }
        GradientResult<float>? first = null;
        Dictionary<string, float[]>? kept = null;
        long allocated = 0;
        FreshThread.Run(() =>
        {
            first = Step(2);
            kept = first.Gradients.Names.ToDictionary(name => name, name => first.Gradients[name].ToArray());
            Step(3);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step(4);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        // The projected inputs [steps, batch, 4·hidden]; what the step must allocate (the states it returns, the gradients)
        // is under that, so allocating them again every step would cross it.
        long projected = (long)steps * batch * 4 * 64 * sizeof(float);
        Assert.True(allocated < projected, $"a training step allocated {allocated} B; the projected inputs are {projected} B");
        foreach (var (name, values) in kept!) Assert.Equal(values, first!.Gradients[name].ToArray());
    }
}
