using System.Numerics;

namespace Autograd.Rnn;

/// <summary>Clipped gradients and the global norm they had before clipping.</summary>
/// <param name="Gradients">The gradients after clipping, by the same names and shapes.</param>
/// <param name="Norm">The global L2 norm of the gradients before clipping: √(Σ over every tensor and element of g²).</param>
public sealed record ClipResult<T>(Params<T> Gradients, T Norm) where T : unmanaged, IFloatingPointIeee754<T>;
