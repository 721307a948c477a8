using System.Runtime.ExceptionServices;
using Autograd.Rnn.Kernels;

namespace Autograd.Rnn;

/// <summary>
/// When a planned unroll runs its batch rows in several groups on parallel threads (<see cref="PlannedUnroll"/>), and the
/// running of the groups. Batch rows never meet inside a recurrence, so each group is a whole unroll of its own rows:
/// its forward runs every step without waiting for the other groups, and so does its VJP; the threads meet once per
/// forward and once per VJP instead of at every parallel kernel of every step.
/// </summary>
internal static class BatchSplit
{
    /// <summary>
    /// The fewest rows a group gets. At an LSTM training step of (batch 32, hidden 128) two groups of 16 rows took 12.2 ms
    /// against 17.2 ms unsplit with per-kernel threads and 20.1 ms on one thread (medians, 2-core Xeon, the same process
    /// cycling through the three; docs/performance.md). Smaller groups were not measured reliably on that shared machine.
    /// </summary>
    internal const int MinRowsPerGroup = 16;

    /// <summary>At most this many groups (each group is one kept plan of the step, <see cref="StepVjpPlans{T}"/>).</summary>
    internal const int MaxGroups = 8;

    [ThreadStatic] private static int forcedGroups;

    /// <summary>
    /// Tests only: a number of groups every planned unroll started on this thread uses (at most one per row), whatever the
    /// batch and the processor count; 0 (the default) decides by <see cref="Groups"/>' rule.
    /// </summary>
    internal static int ForcedGroups
    {
        get => forcedGroups;
        set => forcedGroups = value;
    }

    /// <summary>
    /// How many row groups an unroll of <paramref name="batch"/> rows runs in: one per processor while every group keeps at
    /// least <see cref="MinRowsPerGroup"/> rows, and one (no split) on a single processor or inside a group already.
    /// </summary>
    public static int Groups(int batch)
    {
        if (forcedGroups > 0) return Math.Min(forcedGroups, batch);
        if (!KernelThreads.ParallelAllowed) return 1;
        return Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, MaxGroups), batch / MinRowsPerGroup));
    }

    /// <summary>
    /// Group <paramref name="group"/>'s first row when <paramref name="batch"/> rows are cut into <paramref name="groups"/>
    /// contiguous groups.
    /// </summary>
    public static int FirstRow(int batch, int groups, int group) => group * (batch / groups) + Math.Min(group, batch % groups);

    /// <summary>How many rows group <paramref name="group"/> gets: an equal share, the first batch % groups groups one more.</summary>
    public static int Rows(int batch, int groups, int group) => batch / groups + (group < batch % groups ? 1 : 0);

    /// <summary>
    /// Runs <paramref name="body"/> for every group, on parallel threads when there are several (the calling thread takes
    /// part), with kernels kept serial inside each (<see cref="KernelThreads.Suppressed"/>), and returns when all are done.
    /// A group that throws surfaces its exception on the caller as it was thrown (one of them, when several throw), once no
    /// group is running any more (a group not yet started when one throws is not started).
    /// </summary>
    public static void Run(int groups, Action<int> body)
    {
        if (groups == 1)
        {
            body(0);
            return;
        }
        try
        {
            Parallel.For(0, groups, group =>
            {
                bool was = KernelThreads.Suppressed;
                KernelThreads.Suppressed = true;
                try
                {
                    body(group);
                }
                finally
                {
                    KernelThreads.Suppressed = was;
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
