using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// The machine's float32 FMA peak, the roofline the GEMM is measured against: 12 independent Vector512 (and, for
/// comparison, Vector256) fused multiply-add chains in a loop with no calls, so the JIT keeps every accumulator in a
/// register (a call in the loop makes it spill them, shared/notes/simd-here.md) and the FMA units, not the 4-cycle
/// latency of one chain, bound the rate. One loop per thread of the job; the GFLOP/s column is the aggregate.
/// </summary>
[BenchmarkCategory("Gemm", "FmaPeak")]
public class FmaPeakBenchmarks
{
    /// <summary>Loop trips per thread: 12 FMAs each, about 2 ms at 225 GFLOP/s.</summary>
    public const long Iterations = 1 << 20;

    private const int Chains = 12;

    public static double FlopsPerInvocation(string method, int threads) =>
        (double)Iterations * Chains * 2 * (method == nameof(Vector512Fma) ? Vector512<float>.Count : Vector256<float>.Count) * threads;

    [GlobalSetup]
    public void Setup() => BenchThreads.PrintOnce();

    [Benchmark]
    public float Vector512Fma() => RunOnEveryThread(static () => Loop512(Iterations));

    [Benchmark]
    public float Vector256Fma() => RunOnEveryThread(static () => Loop256(Iterations));

    private static float RunOnEveryThread(Func<float> loop)
    {
        int threads = BenchThreads.Count;
        if (threads == 1) return loop();
        var results = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => results[i] = loop());
        return results.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop512(long iterations)
    {
        // a ← a·x + y converges to y / (1 − x) = 0.1: no overflow, no denormals.
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop256(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
            a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y);
            a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y);
            a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y);
            a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y);
            a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y);
            a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y);
            a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
