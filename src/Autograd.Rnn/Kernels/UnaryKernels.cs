using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

/// <summary>One elementwise unary operation over a contiguous run: a single <see cref="TensorPrimitives"/> call.</summary>
internal interface IUnarySpanOperator<T>
{
    static abstract void Invoke(ReadOnlySpan<T> x, Span<T> destination);
}

internal readonly struct NegateOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

internal readonly struct TanhOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tanh(x, d);
}

internal readonly struct ExpOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d);
}

internal readonly struct LogOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}
