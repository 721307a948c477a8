namespace Autograd.Rnn.Conformance.Tests;

/// <summary>Every op case, in the order the tests list them and the references hold them; one list for both sides.</summary>
public static class OpCases
{
    public static IEnumerable<ConformanceCase> All() =>
        MatMulCases.All()
            .Concat(ElementwiseCases.All())
            .Concat(BroadcastingCases.All())
            .Concat(ReductionCases.All())
            .Concat(SoftmaxCases.All())
            .Concat(ShapeCases.All());
}
