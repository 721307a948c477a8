using TorchSharp;

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>
/// Every registered case: our forward values and gradients equal libtorch's in float64, to the tolerance stated on
/// <see cref="Conformance.Tolerance"/>. A new op is covered by adding its case to one of the registries in Cases/.
/// </summary>
[Collection(LibTorchCollection.Name)]
public sealed class OpConformanceTests
{
    private static readonly IReadOnlyDictionary<string, ConformanceCase> Registry =
        MatMulCases.All()
            .Concat(ElementwiseCases.All())
            .Concat(BroadcastingCases.All())
            .Concat(ReductionCases.All())
            .Concat(SoftmaxCases.All())
            .Concat(ShapeCases.All())
            .ToDictionary(conformanceCase => conformanceCase.Name);

    public static TheoryData<string> Cases => new(Registry.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_values_and_gradients_match_libtorch_in_float64(string op) => Conformance.Check(Registry[op]);
}

[Collection(LibTorchCollection.Name)]
public sealed class LibTorchLoadTests
{
    [Fact]
    public void Libtorch_loads_and_runs_on_one_thread()
    {
        using var scope = torch.NewDisposeScope();
        var product = torch.tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, [2, 2], dtype: torch.float64).matmul(torch.eye(2, dtype: torch.float64));
        Assert.Equal([1.0, 2.0, 3.0, 4.0], product.data<double>().ToArray());
        Assert.Equal(1, torch.get_num_threads());
    }
}
