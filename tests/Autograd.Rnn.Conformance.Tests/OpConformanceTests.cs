namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Every registered case: our forward values and gradients equal libtorch's in float64 (the committed references), to
/// the tolerance stated on <see cref="Conformance.Tolerance"/>. A new op is covered by adding its case to one of the
/// registries in Cases/ and regenerating the references (tests/Autograd.Rnn.Conformance.Generator).
/// </summary>
public sealed class OpConformanceTests
{
    internal static readonly IReadOnlyDictionary<string, ConformanceCase> Registry =
        OpCases.All().ToDictionary(conformanceCase => conformanceCase.Name);

    public static TheoryData<string> Cases => new(Registry.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_values_and_gradients_match_libtorch_in_float64(string op) => Conformance.Check(Registry[op]);
}
