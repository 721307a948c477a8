namespace Autograd.Rnn.Kernels;

/// <summary>
/// Whether a kernel may share its work out between threads (<see cref="Gemm"/> over tiles, a plan's fused regions over
/// blocks). A planned unroll split by batch rows already keeps every core busy with a group of rows each; a kernel of a
/// group that started a Parallel.For of its own would only queue behind the other groups and pay the round trip, so the
/// threads running groups mark themselves <see cref="Suppressed"/> for as long as they run one.
/// </summary>
internal static class KernelThreads
{
    [ThreadStatic] private static bool suppressed;

    /// <summary>Set while this thread runs work that is itself one of several parallel parts: its kernels stay serial.</summary>
    public static bool Suppressed
    {
        get => suppressed;
        set => suppressed = value;
    }

    /// <summary>Whether a kernel on this thread may run in parallel: more than one processor and not inside a parallel part.</summary>
    public static bool ParallelAllowed => !suppressed && Environment.ProcessorCount > 1;
}
