using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Measures vanishing and exploding gradients: how the gradient of a loss with respect to the hidden state h_t
/// changes as t moves back in time from the loss (Bengio, Simard and Frasconi 1994; Pascanu et al. 2013).
/// </summary>
public static class GradientProbe
{
    /// <summary>
    /// Runs <paramref name="cell"/> over <paramref name="inputs"/> [time, batch, features] and reports ‖∂loss/∂h_t‖ for
    /// every step t, where loss = <paramref name="loss"/>(outputs [time, batch, hidden]).
    /// </summary>
    /// <remarks>
    /// Each h_t is replaced by h_t + ε_t with ε_t = 0 a graph leaf (through <see cref="Recurrence.Scan{T}(Cell{T}, Params{T}, RecurrentState{T}, Tensor{T}, int[], bool, Func{int, RecurrentState{T}, RecurrentState{T}})"/>'s
    /// <c>afterStep</c> hook). The values do not change, and ∂loss/∂ε_t = ∂loss/∂h_t: the total derivative through every
    /// later step, which is what BPTT propagates back to step t. The parameters are held constant.
    /// </remarks>
    /// <param name="cell">The cell to run.</param>
    /// <param name="parameters">The cell's parameters.</param>
    /// <param name="initialState">The state before the first step.</param>
    /// <param name="inputs">[time, batch, features].</param>
    /// <param name="loss">A scalar function of the outputs [time, batch, hidden] (for example only the last step's, to watch the gradient travel back).</param>
    /// <exception cref="ArgumentException">As <c>Recurrence.Scan</c>; or the loss is not a scalar.</exception>
    public static GradientProbeResult<T> HiddenStateGradients<T>(Cell<T> cell, Params<T> parameters, RecurrentState<T> initialState,
        Tensor<T> inputs, Func<Tensor<T>, Tensor<T>> loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(loss);
        if (inputs.Rank != 3)
            throw new ArgumentException($"GradientProbe: inputs {inputs.Shape} must be [time, batch, features].", nameof(inputs));
        int steps = inputs.Shape[0];
        var hidden = initialState.Hidden.Shape;
        var perturbations = Tensor.Zeros<T>(steps, hidden[0], hidden[1]);

        var result = Grad.ValueAndGrad(epsilon =>
        {
            var perStep = Tensor.Unstack(epsilon, 0);
            var run = Recurrence.Scan(cell, parameters, initialState, inputs,
                afterStep: (t, state) => RecurrentState<T>.Of([state.Hidden + perStep[t], .. state.Skip(1)]));
            return loss(run.Outputs);
        }, perturbations);

        return new GradientProbeResult<T>(result.Value.Item, StepNorms(result.Gradient));
    }

    // Squares summed in double: vanishing gradients reach 1e-20 and below, where float squares underflow to 0.
    private static double[] StepNorms<T>(Tensor<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = gradient.Shape[0], perStep = gradient.Size / Math.Max(steps, 1);
        var values = gradient.ToArray();
        var norms = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            double sum = 0;
            for (int i = t * perStep; i < (t + 1) * perStep; i++)
            {
                double v = double.CreateChecked(values[i]);
                sum += v * v;
            }
            norms[t] = Math.Sqrt(sum);
        }
        return norms;
    }
}
