using System.Numerics;

namespace Autograd.Rnn;

/// <summary>
/// Buffers that live exactly as long as one <see cref="Grad"/> level (<see cref="ScratchPool"/>). A planned unroll keeps
/// the values its VJP reads in slabs of [time, batch, k]; nothing but that VJP ever sees them, and no sweep runs over a
/// level once it has ended, so the next training step may write them again.
/// </summary>
internal static class LevelScratch
{
    /// <summary>
    /// An uninitialised value of <paramref name="shape"/> that the caller may write and read until <paramref name="level"/>
    /// ends and must not touch after.
    /// </summary>
    public static NdArray<T> Value<T>(Level level, Shape shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        NdArray<T>.OverStart(Rent<T>(level, shape.Size), shape);

    // An array from the pool that goes back when the level ends.
    private static T[] Rent<T>(Level level, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var array = ScratchPool.Take<T>(length);
        level.WhenEnded(() => ScratchPool.Give(array));
        return array;
    }

    /// <summary>The arena of <paramref name="level"/>'s scratch (see <see cref="ValueArena"/>): each array lent is handed back when the level ends.</summary>
    public static IValueArena Arena(Level level) => new LevelArena(level);

    private sealed class LevelArena(Level level) : IValueArena
    {
        public T[]? Take<T>(int length) where T : unmanaged, IFloatingPointIeee754<T> => length == 0 ? null : Rent<T>(level, length);
    }
}
