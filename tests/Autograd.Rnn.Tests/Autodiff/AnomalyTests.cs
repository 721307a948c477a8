namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>Anomaly mode: the first NaN or infinity, forward or backward, stops the run and says where it came from.</summary>
public class AnomalyTests
{
    private static readonly Tensor<double> X = Tensor.FromArray([2.0, 0.5, 3.0], 3);

    [Fact]
    public void Off_by_default_a_NaN_passes_silently()
    {
        Assert.False(Anomaly.IsEnabled);
        var g = Grad.ValueAndGrad(x => Tensor.Sum(Tensor.Log(x - 1.0)), X);
        Assert.True(double.IsNaN(g.Value.Item));
    }

    [Fact]
    public void A_forward_NaN_names_the_op_the_shapes_the_level_and_the_callers_line()
    {
        using var scope = Anomaly.Detect();
        var error = Assert.Throws<AnomalyException>(() => Grad.Gradient(x => Tensor.Sum(Tensor.Log(x - 1.0)), X));
        Assert.Equal("Log", error.Operation);
        Assert.Equal(1, error.Level);
        Assert.False(error.InBackwardPass);
        Assert.Contains("AnomalyTests.cs:", error.Origin);
        Assert.Contains("Log produced NaN at [1] of its result [3] from finite inputs ([3])", error.Message);
        Assert.Contains("level 1", error.Message);
    }

    [Fact]
    public void A_NaN_that_came_in_with_the_data_is_reported_at_the_first_op_that_reads_it_with_where_it_was()
    {
        var data = Tensor.FromArray([1.0, double.NaN, 2.0], 3);
        using var scope = Anomaly.Detect();
        var error = Assert.Throws<AnomalyException>(() => Grad.Gradient(w => Tensor.Sum(w * data), Tensor.Ones<double>(3)));
        Assert.Equal("Multiply", error.Operation);
        Assert.Contains("from non-finite inputs ([3], [3] holding NaN at [1])", error.Message);
    }

    [Fact]
    public void A_NaN_made_from_constants_is_caught_at_level_0()
    {
        using var scope = Anomaly.Detect();
        var error = Assert.Throws<AnomalyException>(() => Tensor.Sqrt(X - 1.0));
        Assert.Equal("Sqrt", error.Operation);
        Assert.Equal(0, error.Level);
    }

    [Fact]
    public void A_backward_infinity_names_the_forward_op_whose_VJP_produced_it_and_where_that_op_was_called()
    {
        // √x at x = 0 is 0, but its derivative 1/(2√x) is infinite: the forward pass is clean.
        var x = Tensor.FromArray([4.0, 0.0], 2);
        using var scope = Anomaly.Detect();
        var error = Assert.Throws<AnomalyException>(() => Grad.Gradient(v => Tensor.Sum(Tensor.Sqrt(v)), x));
        Assert.True(error.InBackwardPass);
        Assert.Contains("in the backward pass of Sqrt (input 0; level 1; created at ", error.Message);
        Assert.Contains("AnomalyTests.cs:", error.Message[error.Message.IndexOf("created at", StringComparison.Ordinal)..]);
        Assert.Contains("Divide produced Infinity at [1] of its result [2] from finite inputs", error.Message);
        Assert.Contains("AnomalyTests.cs:", error.Origin);
    }

    [Fact]
    public void Nested_calls_report_the_inner_level()
    {
        using var scope = Anomaly.Detect();
        var error = Assert.Throws<AnomalyException>(() =>
            Grad.Gradient(x => Grad.Gradient(y => Tensor.Sum(Tensor.Log(y * x - 1.0)), Tensor.Ones<double>(3)).Sum(), X));
        Assert.Equal("Log", error.Operation);
        Assert.Equal(2, error.Level);
    }

    [Fact]
    public void Infinities_can_be_allowed_so_that_only_NaN_stops_the_run()
    {
        var x = Tensor.FromArray([1.0, 0.0], 2);
        using (Anomaly.Detect(includeInfinities: false))
        {
            var value = Tensor.Log(x); // −∞ where intended (a masked logit)
            Assert.Equal(double.NegativeInfinity, value.ToArray()[1]);
            Assert.Throws<AnomalyException>(() => value - value); // −∞ − −∞ = NaN
        }
        Assert.Throws<AnomalyException>(() => { using (Anomaly.Detect()) Tensor.Log(x); });
    }

    [Fact]
    public void Closing_the_scope_turns_detection_off_and_scopes_nest()
    {
        var outer = Anomaly.Detect();
        var inner = Anomaly.Detect();
        inner.Dispose();
        Assert.True(Anomaly.IsEnabled);
        Assert.Throws<AnomalyException>(() => Tensor.Log(X - 3.0));
        outer.Dispose();
        Assert.False(Anomaly.IsEnabled);
        Assert.True(double.IsNaN(Tensor.Log(X - 3.0).ToArray()[0]));
    }

    [Fact]
    public void Detection_is_per_thread()
    {
        using var scope = Anomaly.Detect();
        double other = 0;
        var thread = new Thread(() => other = Tensor.Log(X - 3.0).ToArray()[0]);
        thread.Start();
        thread.Join();
        Assert.True(double.IsNaN(other));
    }

    [Fact]
    public void A_finite_training_step_runs_unchanged_in_anomaly_mode()
    {
        var cell = Cells.Lstm<double>();
        var p = cell.Initialize(2, 3, seed: 1);
        var inputs = Tensor.RandomNormal<double>([4, 2, 2], seed: 2);
        Tensor<double> Loss(Params<double> q) => Tensor.Sum(Recurrence.Scan(cell, q, cell.ZeroState(2, 3), inputs, [4, 2]).Outputs);
        // Anomaly mode turns plans off, and a planned unroll sums gradients in another order: compare with the eager run.
        GradientResult<double> plain;
        using (Compile.Eagerly()) plain = Grad.ValueAndGrad(Loss, p);
        GradientResult<double> detected;
        using (Anomaly.Detect()) detected = Grad.ValueAndGrad(Loss, p);
        Assert.Equal(plain.Value.Item, detected.Value.Item);
        foreach (var (name, g) in plain.Gradients) Assert.Equal(g.ToArray(), detected.Gradients[name].ToArray());
    }
}
