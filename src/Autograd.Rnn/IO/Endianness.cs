namespace Autograd.Rnn;

/// <summary>Byte-order helpers for big-endian machines, where the format's little-endian values must be swapped.</summary>
internal static class Endianness
{
    /// <summary>Elements moved per read or write: 2^26 doubles are 512 MB, well inside a span's 2 GB.</summary>
    public const int ChunkElements = 1 << 26;

    /// <summary>Reverses the bytes of each <paramref name="elementSize"/>-byte element in place.</summary>
    public static void Swap(Span<byte> bytes, int elementSize)
    {
        for (int i = 0; i + elementSize <= bytes.Length; i += elementSize) bytes.Slice(i, elementSize).Reverse();
    }
}
