using System.Numerics;

namespace Autograd.Rnn;

/// <summary>How strongly a loss depends on the hidden state at each time step.</summary>
/// <param name="Loss">The loss's value.</param>
/// <param name="Norms">‖∂loss/∂h_t‖ (the L2 norm over batch and hidden units) for t = 0 … time − 1, in time order.</param>
public sealed record GradientProbeResult<T>(T Loss, double[] Norms) where T : unmanaged, IFloatingPointIeee754<T>;
