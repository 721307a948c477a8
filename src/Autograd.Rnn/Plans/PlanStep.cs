using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// What a node recorded at a planning level keeps so that a plan can replay it: the op's kernel over its inputs'
/// values (always available: every op passes one to <see cref="Trace"/>), its declared <see cref="PlanForm{T}"/> when
/// it has one, and the values of the inputs that were constants at the planning level (null where the input was
/// traced there; those come from the node's inputs).
/// </summary>
internal sealed class PlanStep<T>(Func<NdArray<T>[], NdArray<T>> kernel, PlanForm<T>? form, NdArray<T>?[] constants)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public Func<NdArray<T>[], NdArray<T>> Kernel { get; } = kernel;

    public PlanForm<T>? Form { get; } = form;

    public NdArray<T>?[] Constants { get; } = constants;

    /// <summary>
    /// The step for an op recorded at <paramref name="level"/> on <paramref name="inputs"/> (read at their live levels).
    /// An input traced at another live level cannot be replayed (the plan would drop its tracing): the level is marked.
    /// </summary>
    public static PlanStep<T> Capture(Level level, string operation, Func<NdArray<T>[], NdArray<T>> kernel, PlanForm<T>? form,
        ReadOnlySpan<Tensor<T>> inputs)
    {
        var constants = new NdArray<T>?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (input.Node is null) constants[i] = input.Value;
            else if (input.Node.Level != level)
                level.MarkUnplannable($"{operation} mixed a value traced by an enclosing Grad call into the planned function");
        }
        return new PlanStep<T>(kernel, form, constants);
    }
}
