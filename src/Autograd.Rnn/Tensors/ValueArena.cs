using System.Numerics;

namespace Autograd.Rnn;

/// <summary>Arrays lent for op results that live no longer than the lender's scope (see <see cref="ValueArena"/>).</summary>
internal interface IValueArena
{
    /// <summary>An array of at least <paramref name="length"/> elements and arbitrary contents, or null to allocate a new one.</summary>
    T[]? Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// Where the kernels of ops take the arrays of their results (<see cref="NdArray{T}.Uninitialized"/>): new arrays, unless
/// the thread has lent an arena, whose arrays are written again once its scope ends. A reverse sweep with nothing above it
/// lends its scratch while VJP rules run (see <c>SweepScratch</c>): there, a constant cotangent can only leave the sweep
/// as a leaf's gradient, which the sweep copies.
/// </summary>
internal static class ValueArena
{
    [ThreadStatic] private static IValueArena? current;

    public static IValueArena? Current => current;

    /// <summary>Makes <paramref name="arena"/> (or none) the thread's arena; returns the one to restore after.</summary>
    public static IValueArena? Lend(IValueArena? arena)
    {
        var previous = current;
        current = arena;
        return previous;
    }
}
