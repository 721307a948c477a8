using System.Runtime.InteropServices;
using TorchSharp;

namespace Autograd.Rnn.Benchmarks;

/// <summary>libtorch set-up shared by the benchmarks: threads, dtype, and the oneDNN switch.</summary>
public static unsafe class Torch
{
    private static readonly Lock Gate = new();
    private static delegate* unmanaged<nint> globalContext;
    private static delegate* unmanaged<nint, byte, void> setUserEnabledMkldnn;

    /// <summary>Loads libtorch (first call) and gives it the job's thread count.</summary>
    public static void Setup()
    {
        BenchThreads.PrintOnce();
        torch.set_num_threads(BenchThreads.Count);
        torch.set_default_dtype(torch.float32);
        torch.manual_seed(1);
    }

    /// <summary>
    /// Switches libtorch's oneDNN (MKLDNN) paths on or off for the whole process:
    /// <c>at::globalContext().setUserEnabledMkldnn(bool)</c> in libtorch_cpu.so. TorchSharp has no switch for it.
    /// With it on (libtorch's default) float32 CPU LSTMs run oneDNN's fused RNN; off, libtorch's native kernels.
    /// </summary>
    public static void SetOneDnn(bool enabled)
    {
        if (setUserEnabledMkldnn == null) Bind();
        setUserEnabledMkldnn(globalContext(), enabled ? (byte)1 : (byte)0);
    }

    private static void Bind()
    {
        lock (Gate)
        {
            if (setUserEnabledMkldnn != null) return;
            // torch.set_num_threads has loaded libtorch_cpu.so by now; loading it again by path returns the same handle.
            var path = Directory.EnumerateFiles(AppContext.BaseDirectory, "libtorch_cpu.so", SearchOption.AllDirectories).FirstOrDefault()
                ?? throw new InvalidOperationException($"libtorch_cpu.so not found under {AppContext.BaseDirectory}.");
            var library = NativeLibrary.Load(path);
            globalContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
            setUserEnabledMkldnn = (delegate* unmanaged<nint, byte, void>)NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb");
        }
    }

    /// <summary>A float32 libtorch tensor of standard normal values (seeded by libtorch's global generator).</summary>
    public static torch.Tensor Randn(bool requiresGrad, params long[] shape) =>
        torch.randn(shape, dtype: torch.float32, requires_grad: requiresGrad);

    /// <summary>U(-1/√h, 1/√h), PyTorch's default for recurrent weights, as a leaf.</summary>
    public static torch.Tensor Uniform(long hidden, params long[] shape)
    {
        double bound = 1.0 / Math.Sqrt(hidden);
        using var raw = torch.rand(shape, dtype: torch.float32);
        using (torch.no_grad())
        {
            var leaf = (raw * (2 * bound) - bound).detach();
            return leaf.requires_grad_(true);
        }
    }
}
