using TorchSharp;

namespace Autograd.Rnn.Conformance.Generator;

/// <summary>Conversions between this library's tensors and TorchSharp's, always in float64.</summary>
public static class TorchInterop
{
    /// <summary>A float64 libtorch tensor with the same shape and values; a leaf that records gradients when asked.</summary>
    public static torch.Tensor ToTorch(this Tensor<double> tensor, bool requiresGrad = false) =>
        torch.tensor(tensor.ToArray(), ToLongs(tensor.Shape.ToArray()), dtype: torch.float64, requires_grad: requiresGrad);

    /// <summary>This library's tensor with the same shape and values as a float64 libtorch tensor.</summary>
    public static Tensor<double> ToOurs(this torch.Tensor tensor)
    {
        if (tensor.dtype != torch.float64)
            throw new ArgumentException($"ToOurs: expected a float64 libtorch tensor, got {tensor.dtype}.", nameof(tensor));
        var shape = Array.ConvertAll(tensor.shape, dimension => checked((int)dimension));
        var values = tensor.contiguous().data<double>().ToArray();
        // FromArray with no dimensions makes a vector; a rank-0 tensor is a scalar.
        return shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
    }

    /// <summary>An int64 libtorch tensor of indices (what index_select and embedding take).</summary>
    public static torch.Tensor ToTorchIndices(this int[] indices, params int[] shape) =>
        torch.tensor(Array.ConvertAll(indices, i => (long)i), ToLongs(shape), dtype: torch.int64);

    private static long[] ToLongs(int[] values) => Array.ConvertAll(values, v => (long)v);
}
