using Autograd.Rnn.TestSupport;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// A plan whose leading inputs are held (<see cref="Plan{T}.HoldInputs"/>, as a planned unroll holds its parameters) packs
/// a weight for its products once and reuses it; a different weight, or a new hold, is packed again. Results are the
/// eager bits whatever was reused.
/// </summary>
public class HeldInputsTests
{
    // h·Wᵀ + b with 40 rows (a transposed weight is packed at every row count) and h·U with 70 rows
    // (a row-major weight is packed above 64 rows).
    private static Tensor<float>[] Step(Tensor<float>[] v) =>
        [Tensor.Tanh(Tensor.Linear(v[2], v[0], v[1])), Tensor.Sigmoid(v[3].MatMul(v[4]))];

    private static Tensor<float>[] Inputs(ulong seed) =>
        [Tensor.RandomNormal<float>([24, 16], seed: seed), Tensor.RandomNormal<float>([24], seed: seed + 1),
         Tensor.RandomNormal<float>([40, 16], seed: seed + 2), Tensor.RandomNormal<float>([70, 12], seed: seed + 3),
         Tensor.RandomNormal<float>([12, 20], seed: seed + 4)];

    [Fact]
    [Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
    public void Held_weights_give_the_eager_bits_and_a_new_weight_in_the_same_hold_is_packed_again()
    {
        var first = Inputs(1);
        var plan = PlanRecorder.Record(Step, first).Plan ?? throw new InvalidOperationException("no plan");
        // The products' right operands are inputs 0 and 4: hold all five, as if every input were a parameter.
        plan.HoldInputs(5);
        try
        {
            for (int run = 0; run < 3; run++) AssertEager(plan, run == 1 ? Inputs(7) : first);
            // A new weight object under the same hold (never done by an unroll, whose parameters stay) is not mistaken
            // for the packed one.
            var other = Inputs(1);
            other[0] = Tensor.RandomNormal<float>([24, 16], seed: 99);
            other[4] = Tensor.RandomNormal<float>([12, 20], seed: 98);
            AssertEager(plan, other);
        }
        finally
        {
            plan.ReleaseInputs();
        }
        AssertEager(plan, Inputs(3));
        plan.HoldInputs(5);
        AssertEager(plan, Inputs(3));
        plan.ReleaseInputs();
    }

    private static void AssertEager(Plan<float> plan, Tensor<float>[] inputs)
    {
        var planned = plan.Run(inputs);
        var eager = Step(inputs);
        for (int i = 0; i < eager.Length; i++) Assert.Equal(eager[i].ToArray(), planned[i].ToArray());
    }
}
