using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// What an op declares, beside its kernel and VJP, so that a plan can run it without per-op planner code: how to
/// compute its result into a buffer the plan owns. Ops that declare nothing are replayed through their ordinary
/// kernel (correct, but allocating their result on every run).
/// </summary>
internal abstract class PlanForm<T> where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// An elementwise op of one input: its span kernel. Plans fuse runs of elementwise ops into one pass over small
/// blocks of the data, each op's span kernel running once per block.
/// </summary>
internal abstract class ElementwiseUnary<T> : PlanForm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>The eager kernel: the whole value into a new array.</summary>
    public abstract NdArray<T> Apply(NdArray<T> x);
}

/// <summary>The elementwise form of the span operator <typeparamref name="TOperator"/> (one instance per operator).</summary>
internal sealed class ElementwiseUnary<T, TOperator> : ElementwiseUnary<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : IUnarySpanOperator<T>
{
    public static readonly ElementwiseUnary<T, TOperator> Instance = new();

    private ElementwiseUnary() { }

    public override void Invoke(ReadOnlySpan<T> x, Span<T> destination) => TOperator.Invoke(x, destination);

    public override NdArray<T> Apply(NdArray<T> x) => Elementwise.Unary<T, TOperator>(x);
}

/// <summary>
/// An elementwise op of two inputs with NumPy broadcasting: its span kernel in the three forms a broadcasting loop
/// needs (run-run, run-scalar, scalar-run).
/// </summary>
internal abstract class ElementwiseBinary<T> : PlanForm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    public abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);

    public abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>The eager kernel: the broadcast result into a new array; throws naming <paramref name="operation"/>.</summary>
    public abstract NdArray<T> Apply(NdArray<T> x, NdArray<T> y, string operation);
}

/// <summary>The elementwise form of the span operator <typeparamref name="TOperator"/> (one instance per operator).</summary>
internal sealed class ElementwiseBinary<T, TOperator> : ElementwiseBinary<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : IBinarySpanOperator<T>
{
    public static readonly ElementwiseBinary<T, TOperator> Instance = new();

    private ElementwiseBinary() { }

    public override void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TOperator.Invoke(x, y, destination);

    public override void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination) => TOperator.Invoke(x, y, destination);

    public override void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination) => TOperator.Invoke(x, y, destination);

    public override NdArray<T> Apply(NdArray<T> x, NdArray<T> y, string operation) => Elementwise.Binary<T, TOperator>(x, y, operation);
}

/// <summary>
/// A non-elementwise op that can write its result into a buffer the plan owns (a matrix product, a copy of a slice):
/// given its inputs' values (constants included, in the op's order) and the destination of its result's size.
/// </summary>
internal abstract class IntoForm<T> : PlanForm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract void Invoke(NdArray<T>[] inputs, Span<T> destination);

    /// <summary>
    /// The input that is a matrix product's right operand, which the op can take packed once for runs that share it
    /// (<see cref="PackRight"/>), or -1.
    /// </summary>
    public virtual int PackableInput => -1;

    /// <summary>
    /// The right operand of the product on these inputs packed (in <paramref name="reuse"/>'s storage where it fits), or
    /// null when the product would not pack it (it reads it in place).
    /// </summary>
    public virtual GemmPackedB<T>? PackRight(NdArray<T>[] inputs, GemmPackedB<T>? reuse) => null;

    /// <summary>As <see cref="Invoke(NdArray{T}[], Span{T})"/>, reading the right operand from <paramref name="packedRight"/>.</summary>
    public virtual void Invoke(NdArray<T>[] inputs, Span<T> destination, GemmPackedB<T> packedRight) => Invoke(inputs, destination);
}
