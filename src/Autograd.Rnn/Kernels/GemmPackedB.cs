using System.Numerics;
using System.Runtime.CompilerServices;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// A right operand B packed once, for a product repeated with the same B (a recurrent weight multiplies every step's
/// state): every NC-wide, KC-deep block laid out exactly as <see cref="GemmBlocked{T}"/> packs it on each call, so a
/// product with it reads the same values in the same order and gives the same bits, without the copies. Packing a
/// transposed B (the interleave) costs about a third of a batch-32 step's product here.
/// </summary>
internal sealed unsafe class GemmPackedB<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] storage = [];
    private int[] offsets = [];
    private int pcBlocks;

    private GemmPackedB() { }

    /// <summary>Columns of B (of the product).</summary>
    public int N { get; private set; }

    /// <summary>Rows of B: the product's depth.</summary>
    public int K { get; private set; }

    /// <summary>Whether B was read transposed: b holds [n, k] and the product is A·Bᵀ.</summary>
    public bool TransposeB { get; private set; }

    /// <summary>
    /// Whether a product of <paramref name="m"/> rows packs its B (so that a packed B saves work): always for a transposed
    /// B; for a row-major B only above the rows where <see cref="GemmBlocked{T}"/> reads it in place.
    /// </summary>
    public static bool Pays(int m, bool transposeB) => transposeB || m > GemmBlocked<T>.UnpackedBMaxRows;

    /// <summary>
    /// b packed for a product of <paramref name="m"/> rows (see <see cref="Pack"/>) when packing it once <see cref="Pays"/>,
    /// else null: the product reads b in place.
    /// </summary>
    public static GemmPackedB<T>? PackIfItPays(int m, ReadOnlySpan<T> b, int n, int k, bool transposeB, GemmPackedB<T>? reuse) =>
        Pays(m, transposeB) ? Pack(b, n, k, transposeB, reuse) : null;

    /// <summary>
    /// b ([k, n] row-major, or [n, k] when <paramref name="transposeB"/>) packed, in <paramref name="reuse"/>'s storage
    /// when it is large enough.
    /// </summary>
    public static GemmPackedB<T> Pack(ReadOnlySpan<T> b, int n, int k, bool transposeB, GemmPackedB<T>? reuse = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if ((long)n * k > b.Length) throw new ArgumentException($"Gemm: a span of {b.Length} is too short for a right operand of k={k}, n={n}.");
        var packed = reuse ?? new GemmPackedB<T>();
        int nr = GemmMicroKernel<T>.NR, nc = GemmBlocked<T>.NC, kc = GemmBlocked<T>.KC;
        int ncBlocks = (n + nc - 1) / nc;
        packed.pcBlocks = (k + kc - 1) / kc;
        if (packed.offsets.Length != ncBlocks * packed.pcBlocks) packed.offsets = new int[ncBlocks * packed.pcBlocks];
        long length = 0;
        for (int jc = 0, block = 0; jc < n; jc += nc)
            for (int pc = 0; pc < k; pc += kc, block++)
            {
                packed.offsets[block] = checked((int)length);
                length += (long)GemmBlocked<T>.RoundUp(Math.Min(nc, n - jc), nr) * Math.Min(kc, k - pc);
            }
        // 64 extra elements let the start be rounded up to a 64-byte boundary, as in the per-call packing buffer.
        if (packed.storage.Length < length + 64) packed.storage = GC.AllocateUninitializedArray<T>(checked((int)length + 64), pinned: true);
        (packed.N, packed.K, packed.TransposeB) = (n, k, transposeB);
        fixed (T* pb = b)
        {
            var matrix = transposeB ? new StridedMatrix<T>(pb, 1, k) : new StridedMatrix<T>(pb, n, 1);
            for (int jc = 0, block = 0; jc < n; jc += nc)
                for (int pc = 0; pc < k; pc += kc, block++)
                    GemmPacking<T>.PackB(matrix, pc, jc, Math.Min(kc, k - pc), Math.Min(nc, n - jc), nr, packed.Block(block));
        }
        return packed;
    }

    /// <summary>The packed panels of the block of columns from <paramref name="jc"/> and depth from <paramref name="pc"/>.</summary>
    public T* Block(int jc, int pc) => Block(jc / GemmBlocked<T>.NC * pcBlocks + pc / GemmBlocked<T>.KC);

    private T* Block(int index)
    {
        nint address = (nint)Unsafe.AsPointer(ref storage[0]);
        return (T*)((address + 63) & ~(nint)63) + offsets[index];
    }
}
