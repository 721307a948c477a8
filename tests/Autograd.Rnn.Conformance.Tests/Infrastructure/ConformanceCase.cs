#if TORCH
using TorchSharp;
#endif

namespace Autograd.Rnn.Conformance.Tests;

// Shared with tests/Autograd.Rnn.Conformance.Generator, like every file in Cases/: the tests build without TORCH and
// see only our side; the generator builds with TORCH and also sees libtorch's side, which it runs to write the
// reference files. A case is defined once, both sides together.

/// <summary>
/// One named input of a conformance case: its shape and the open interval its seeded random values come from
/// (e.g. positive for <c>log</c>, away from zero for a divisor). The generator draws the values and stores them in the
/// reference file, which is where the tests take them from.
/// </summary>
public sealed record CaseInput(string Name, int[] Shape, double Low = -1.0, double High = 1.0);

/// <summary>
/// The same computation written twice: with this library's ops (<see cref="Ours"/>) and, in the generator, with
/// libtorch's (<c>Torch</c>, which receives the inputs by name). Both get the same values for the same inputs.
/// </summary>
public sealed record ConformanceCase(string Name, CaseInput[] Inputs, Func<Params<double>, Tensor<double>> Ours)
{
#if TORCH
    /// <summary>libtorch's side of the case (generator only).</summary>
    public Func<Func<string, torch.Tensor>, torch.Tensor>? Torch { get; init; }
#endif

    public override string ToString() => Name;
}
