namespace Autograd.Rnn.Tests.Recurrent;

/// <summary>Backpropagation through time, checked against a computation done by hand.</summary>
public class BpttTests
{
    // A scalar vanilla RNN h_t = tanh(w·x_t + u·h_{t−1}), h_0 = 0, with per-step losses E_t = h_t and E = E_1 + E_2.
    private const double W = 0.7, U = -1.3, X1 = 0.5, X2 = -0.8;

    private static Params<double> Parameters() => Params<double>.Empty
        .Add("weight_ih", Tensor.FromArray([W], 1, 1))
        .Add("weight_hh", Tensor.FromArray([U], 1, 1));

    private static Tensor<double> Inputs() => Tensor.FromArray([X1, X2], 2, 1, 1);

    private static Cell<double> Cell() => Cells.Rnn<double>(initialization: CellInitialization.Default.WithBias(false));

    [Fact]
    public void Gradient_of_the_summed_loss_is_the_sum_over_steps_of_each_steps_gradient()
    {
        // By hand: h1 = tanh(w x1), h2 = tanh(w x2 + u h1).
        double h1 = Math.Tanh(W * X1), h2 = Math.Tanh(W * X2 + U * h1);
        double d1 = 1 - h1 * h1, d2 = 1 - h2 * h2;
        // ∂E1/∂w = d1·x1; ∂E2/∂w = d2·(x2 + u·d1·x1): the second step reaches back through h1.
        double dE1dW = d1 * X1, dE2dW = d2 * (X2 + U * d1 * X1);
        // ∂E1/∂u = 0 (h0 = 0); ∂E2/∂u = d2·(h1 + u·0).
        double dE2dU = d2 * h1;

        var cell = Cell();
        Tensor<double> StepLoss(Params<double> p, int step) =>
            Tensor.Sum(Tensor.Narrow(Recurrence.Scan(cell, p, cell.ZeroState(1, 1), Inputs()).Outputs, 0, step, 1));
        var total = Grad.Gradient(p => Tensor.Sum(Recurrence.Scan(cell, p, cell.ZeroState(1, 1), Inputs()).Outputs), Parameters());
        var first = Grad.Gradient(p => StepLoss(p, 0), Parameters());
        var second = Grad.Gradient(p => StepLoss(p, 1), Parameters());

        Assert.Equal(dE1dW, first["weight_ih"].Item, 14);
        Assert.Equal(dE2dW, second["weight_ih"].Item, 14);
        Assert.Equal(0.0, first["weight_hh"].Item, 14);
        Assert.Equal(dE2dU, second["weight_hh"].Item, 14);
        // ∂E/∂W = Σ_t ∂E_t/∂W.
        Assert.Equal(dE1dW + dE2dW, total["weight_ih"].Item, 14);
        Assert.Equal(dE2dU, total["weight_hh"].Item, 14);
    }
}
