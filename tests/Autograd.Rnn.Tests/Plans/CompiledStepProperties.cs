using Autograd.Rnn.TestSupport;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>Plan == eager, for random step programs: values bit for bit, and gradients through a compiled function.</summary>
[Trait(EagerRun.Trait, EagerRun.NeedsPlans)]
public class CompiledStepProperties
{
    private const int Cases = 150;

    [Fact]
    public void Compiled_programs_give_the_eager_bits_in_float() =>
        Prop.ForAll(StepProgram.Generator.ToArbitrary(), p => SameBits<float>(p)).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));

    [Fact]
    public void Compiled_programs_give_the_eager_bits_in_double() =>
        Prop.ForAll(StepProgram.Generator.ToArbitrary(), p => SameBits<double>(p)).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));

    [Fact]
    public void Gradients_through_compiled_programs_equal_the_eager_gradients() =>
        Prop.ForAll(StepProgram.Generator.ToArbitrary(), p =>
        {
            var compiled = Compile.Function<double>(p.Run);
            var inputs = p.Inputs<double>(p.Seed);
            compiled(p.Inputs<double>(p.Seed + 100)); // records the plan
            Tensor<double> Loss(Func<Tensor<double>[], Tensor<double>[]> f, Tensor<double> x) =>
                f([x, .. inputs[1..]]).Select(o => (o * o).Sum()).Aggregate((s, t) => s + t);
            var viaPlan = Grad.Gradient(x => Loss(compiled, x), inputs[0]);
            Tensor<double> eager;
            using (Compile.Eagerly()) eager = Grad.Gradient(x => Loss(p.Run, x), inputs[0]);
            return Bits.Same(viaPlan, eager).Label(p.ToString());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    // The first call records (its results come from the eager run it records); the second and third replay the plan on
    // new values. Each is compared with the program run eagerly on the same inputs.
    private static Property SameBits<T>(StepProgram program) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var compiled = new CompiledFunction<T>(program.Run);
        bool same = true;
        var failures = new List<string>();
        for (ulong call = 0; call < 3; call++)
        {
            var inputs = program.Inputs<T>(program.Seed + 10 * call);
            var planned = compiled.Invoke(inputs);
            Tensor<T>[] eager;
            using (Compile.Eagerly()) eager = program.Run(inputs);
            for (int i = 0; i < eager.Length; i++)
                if (!Bits.Same(planned[i], eager[i]))
                {
                    same = false;
                    failures.Add($"call {call}, output {i}: {planned[i]} vs {eager[i]}");
                }
        }
        if (compiled.LastReason is not null) failures.Add("not planned: " + compiled.LastReason);
        return (same && compiled.LastReason is null).Label(program + "\n" + string.Join("\n", failures));
    }
}
