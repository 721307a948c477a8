namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Runs a test's body on a new thread and rethrows what it threw. The scratch pool and kept plans are per thread, so a
/// body that measures allocation starts from an empty pool there, whatever other tests left on the shared threads.
/// </summary>
internal static class FreshThread
{
    public static void Run(Action action, int maxStackSize = 0)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("the test's thread failed", failure);
    }
}
