#if TORCH
using F = TorchSharp.torch.nn.functional;
#endif

namespace Autograd.Rnn.Conformance.Tests;

/// <summary>Softmax and log-softmax along the last and the other axes.</summary>
public static class SoftmaxCases
{
    public static IEnumerable<ConformanceCase> All()
    {
        foreach (var (shape, axis) in new (int[] Shape, int Axis)[] { ([4, 7], -1), ([4, 7], 0), ([2, 3, 5], 1), ([2, 3, 5], 2) })
        {
            string where = $"[{string.Join(",", shape)}] axis {axis}";
            yield return new ConformanceCase("Softmax " + where, [new("x", shape, -3, 3)], p => Tensor.Softmax(p["x"], axis))
#if TORCH
                { Torch = t => F.softmax(t("x"), axis) }
#endif
                ;
            yield return new ConformanceCase("LogSoftmax " + where, [new("x", shape, -3, 3)], p => Tensor.LogSoftmax(p["x"], axis))
#if TORCH
                { Torch = t => F.log_softmax(t("x"), axis) }
#endif
                ;
        }
    }
}
