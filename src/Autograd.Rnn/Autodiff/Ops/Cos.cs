using System.Numerics;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>y = cos x. VJP: −g⊙sin x. JVP: −t⊙sin x. Batching: the same op on the batch (elementwise), batch axis kept.</summary>
internal static class CosOp
{
    public static Tensor<T> Apply<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Trace.Unary("Cos", x,
            static v => Elementwise.Unary<T, CosOperator<T>>(v),
            Apply,
            static (x, _, g) => -(g * SinOp.Apply(x)),
            static (x, _, t) => -(t * SinOp.Apply(x)),
            static (x, axis) => new(Apply(x), axis));
}

public static partial class Tensor
{
    /// <summary>Elementwise cosine (radians); any shape to the same shape. cos(±∞) and cos(NaN) are NaN.</summary>
    public static Tensor<T> Cos<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => CosOp.Apply(x);
}

public sealed partial class Tensor<T>
{
    /// <summary>Elementwise cosine (lets F#'s <c>cos x</c> work on tensors).</summary>
    public static Tensor<T> Cos(Tensor<T> x) => CosOp.Apply(x);
}
