namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Tensors that outlive the <see cref="Grad"/> call that traced them: an inner forward value reused by the outer
/// function, and a recurrent state carried from one training step to the next without StopGradient.
/// </summary>
public class EndedLevelTests
{
    [Fact]
    public void A_value_kept_from_an_inner_call_is_differentiated_by_the_outer_call()
    {
        // y = z·z with z = x traced by the inner call; the outer function returns y itself: d(x²)/dx = 2x = 6.
        var g = Grad.Gradient(x =>
        {
            Tensor<double> y = null!;
            Grad.Gradient(z => { y = z * z; return y; }, x);
            return y;
        }, Tensor.Scalar(3.0));
        Assert.Equal(6.0, g.Item);
    }

    [Fact]
    public void A_value_kept_from_an_inner_call_keeps_its_outer_dependence_in_later_ops()
    {
        // The gradient-penalty pattern: the outer loss uses the inner forward value and the inner gradient.
        // f(x) = y·x + (dy/dz)² with y = z³, z = x: f = x⁴ + 9x⁴, f' = 40x³ = 1080 at x = 3.
        var g = Grad.Gradient(x =>
        {
            Tensor<double> y = null!;
            var inner = Grad.Gradient(z => { y = z * z * z; return y; }, x);
            return y * x + inner * inner;
        }, Tensor.Scalar(3.0));
        Assert.Equal(1080.0, g.Item, 9);
    }

    [Fact]
    public void Values_kept_from_inner_parameter_and_vjp_calls_are_differentiated_too()
    {
        var p = Params<double>.Empty.Add("w", Tensor.FromArray([1.5, -2.0]));
        var g = Grad.Gradient(q =>
        {
            Tensor<double> kept = null!;
            Grad.Gradient(r => { kept = Tensor.Sum(r["w"] * r["w"]); return kept; }, q);
            Tensor<double> viaVjp = Grad.Vjp(v => Tensor.Tanh(v), q["w"], Tensor.OnesLike(q["w"])).Output;
            return kept + Tensor.Sum(viaVjp);
        }, p);
        // d/dw [Σ w² + Σ tanh w] = 2w + 1 − tanh² w
        var expected = new[] { 1.5, -2.0 }.Select(w => 2 * w + 1 - Math.Tanh(w) * Math.Tanh(w)).ToArray();
        var actual = g["w"].ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14);
    }

    [Fact]
    public void A_tensor_from_a_returned_call_is_no_longer_traced()
    {
        Tensor<double> kept = null!;
        Grad.Gradient(x => { kept = Tensor.Tanh(x); return Tensor.Sum(kept); }, Tensor.FromArray([0.5, 1.0]));
        Assert.False(kept.IsTraced);
        Assert.Equal(0.0, Grad.Gradient(x => Tensor.Sum(kept * x) - Tensor.Sum(kept * x), Tensor.Ones<double>(2)).ToArray().Sum());
    }

    [Fact]
    public void A_state_carried_between_training_steps_without_StopGradient_is_not_re_recorded_at_old_levels()
    {
        // Truncated BPTT written by hand, forgetting StopGradient: each step's final state escapes its Grad call and
        // starts the next step. Every op on it used to record itself once per earlier step as well (16 ms vs 1.1 ms per
        // step after 40 steps); now it is read as a constant, and gradients equal the detached loop's bit for bit.
        var cell = Cells.Lstm<double>();
        var parameters = cell.Initialize(3, 4, seed: 5);
        var inputs = Tensor.RandomNormal<double>([40, 2, 2, 3], seed: 6);
        var forgotten = RecurrentState<double>.Of(Tensor.Zeros<double>(2, 4), Tensor.Zeros<double>(2, 4));
        var detached = forgotten;
        for (int step = 0; step < 40; step++)
        {
            var chunk = Tensor.Narrow(inputs, 0, step, 1).Reshape(2, 2, 3);
            RecurrentState<double>? forgottenNext = null, detachedNext = null;
            var a = Grad.Gradient(p => { var r = Recurrence.Scan(cell, p, forgotten, chunk); forgottenNext = r.FinalState; return Tensor.Sum(r.Outputs); }, parameters);
            var b = Grad.Gradient(p => { var r = Recurrence.Scan(cell, p, detached, chunk); detachedNext = r.FinalState; return Tensor.Sum(r.Outputs); }, parameters);
            foreach (var (name, gradient) in a) Assert.Equal(b[name].ToArray(), gradient.ToArray());
            forgotten = forgottenNext!;
            detached = detachedNext!.Map(Tensor.StopGradient);
            foreach (var part in forgotten) Assert.True(TracedLevels(part) <= 1, $"step {step}: the state is traced at {TracedLevels(part)} levels");
        }
    }

    private static int TracedLevels(Tensor<double> tensor)
    {
        int levels = 0;
        for (var t = tensor; t.Node is not null; t = t.Primal!) levels++;
        return levels;
    }
}
