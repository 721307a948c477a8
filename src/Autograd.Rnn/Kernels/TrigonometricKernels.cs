using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Rnn.Kernels;

internal readonly struct SinOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

internal readonly struct CosOperator<T> : IUnarySpanOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Invoke(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}
