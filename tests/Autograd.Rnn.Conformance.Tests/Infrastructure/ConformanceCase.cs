using TorchSharp;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// One named input of a conformance case: its shape and the open interval its seeded random values come from
/// (e.g. positive for <c>log</c>, away from zero for a divisor).
/// </summary>
public sealed record CaseInput(string Name, int[] Shape, double Low = -1.0, double High = 1.0);

/// <summary>
/// The same computation written twice: with this library's ops (<see cref="Ours"/>) and with libtorch's
/// (<see cref="Torch"/>, which receives the inputs by name). Both get the same values for the same inputs.
/// </summary>
public sealed record ConformanceCase(
    string Name,
    CaseInput[] Inputs,
    Func<Params<double>, Tensor<double>> Ours,
    Func<Func<string, torch.Tensor>, torch.Tensor> Torch)
{
    public override string ToString() => Name;
}
