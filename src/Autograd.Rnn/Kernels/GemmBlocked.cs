using System.Numerics;
using System.Runtime.CompilerServices;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// The single-threaded Goto/BLIS loop nest: for each NC-wide column block of B and KC-deep slice of k, pack the
/// B block once; for each MC-high row block of A, pack it, then sweep the micro-kernel over its MR×NR tiles.
/// </summary>
internal static unsafe class GemmBlocked<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Depth of a k slice. A packed B panel (KC × NR) is reused by every row tile of the A block, so it must stay
    /// in Zen 5's 48 KB L1: 256 × 32 floats = 32 KB (256 × 16 doubles the same). The k loop is blocked but never
    /// split between threads, and slices are always summed in the same order, so each output element's summation
    /// order depends only on k.
    /// </summary>
    public const int KC = 256;

    /// <summary>Height of an A block: 384 × 256 floats = 384 KB (192 doubles), under half of the 1 MB L2.</summary>
    public static readonly int MC = RoundUp(sizeof(T) == 4 ? 384 : 192, GemmMicroKernel<T>.MR);

    /// <summary>Width of a B block: 256 × 4096 floats = 4 MB, a share of the 32 MB L3 shared by both cores.</summary>
    public static readonly int NC = RoundUp(sizeof(T) == 4 ? 4096 : 2048, GemmMicroKernel<T>.NR);

    /// <summary>
    /// Up to this many rows, a row-major B is read in place instead of packed: with few row tiles, packing all of B
    /// (k·n copies) costs as much as the multiply it serves, and B's rows are only streamed a few times anyway.
    /// </summary>
    public const int UnpackedBMaxRows = 64;

    /// <summary>
    /// c[0..m, 0..n] (row stride ldc) = A·B — or += A·B with <paramref name="accumulateIntoC"/> — for the m×k matrix A
    /// and k×n matrix B; k ≥ 1. With <paramref name="prepacked"/> (B packed once, all n columns), b is not read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Run(StridedMatrix<T> a, StridedMatrix<T> b, T* c, nint ldc, int m, int n, int k, bool accumulateIntoC = false,
        GemmPackedB<T>? prepacked = null)
    {
        int mr = GemmMicroKernel<T>.MR, nr = GemmMicroKernel<T>.NR;
        int kcMax = Math.Min(KC, k);
        int mcMax = Math.Min(MC, RoundUp(m, mr));
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        bool packB = prepacked is not null || b.ColumnStride != 1 || m > UnpackedBMaxRows;
        long bLength = prepacked is not null ? 0 : (long)kcMax * (packB ? ncMax : nr);
        T* packedA = GemmBuffer<T>.Get((long)mcMax * kcMax + bLength);
        T* packBuffer = packedA + (nint)mcMax * kcMax;
        T* tile = stackalloc T[GemmMicroKernel<T>.MaxTile];

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            int fullColumns = nc - nc % nr;
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool accumulate = pc > 0 || accumulateIntoC;
                T* packedB = prepacked is not null ? prepacked.Block(jc, pc) : packBuffer;
                if (prepacked is null && packB)
                    GemmPacking<T>.PackB(b, pc, jc, kc, nc, nr, packedB);
                else if (prepacked is null && fullColumns < nc)
                    GemmPacking<T>.PackB(b, pc, jc + fullColumns, kc, nc - fullColumns, nr, packedB);

                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    GemmPacking<T>.PackA(a, ic, pc, mc, kc, mr, packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int columns = Math.Min(nr, nc - jr);
                        T* panel;
                        nint ldb;
                        if (packB) { panel = packedB + (nint)jr * kc; ldb = nr; }
                        else if (columns == nr) { panel = b.At(pc, jc + jr); ldb = b.RowStride; }
                        else { panel = packedB; ldb = nr; }

                        if (mc == 1 && nc - jr >= GemmMicroKernel<T>.WidePanels * nr && GemmMicroKernel<T>.HasWideRow)
                        {
                            // One row (batch 1): four panels at once, so that eight FMA chains hide the latency that
                            // one panel's two chains would wait on; each element is still one chain in k order.
                            GemmMicroKernel<T>.RunWideRow(kc, packedA, panel, packB ? (nint)nr * kc : nr, ldb, c + (nint)ic * ldc + jc + jr, accumulate);
                            jr += (GemmMicroKernel<T>.WidePanels - 1) * nr;
                            continue;
                        }

                        T* cColumn = c + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            T* aPanel = packedA + (nint)ir * kc;
                            T* cTile = cColumn + (ic + ir) * ldc;
                            if (columns == nr)
                                GemmMicroKernel<T>.Run(kc, aPanel, panel, ldb, cTile, ldc, accumulate, rows);
                            else
                                EdgeTile(kc, aPanel, panel, ldb, cTile, ldc, rows, columns, accumulate, tile);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A tile cut short by n runs the same full-width kernel on a stack copy of its part of C (the packed B panel is
    /// zero-padded), so edge elements get exactly the arithmetic interior ones get.
    /// </summary>
    private static void EdgeTile(int kc, T* aPanel, T* panel, nint ldb, T* c, nint ldc, int rows, int columns, bool accumulate, T* tile)
    {
        int nr = GemmMicroKernel<T>.NR;
        if (accumulate)
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(c + r * ldc, columns).CopyTo(new Span<T>(tile + r * nr, columns));
        GemmMicroKernel<T>.Run(kc, aPanel, panel, ldb, tile, nr, accumulate, rows);
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<T>(tile + r * nr, columns).CopyTo(new Span<T>(c + r * ldc, columns));
    }

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

/// <summary>
/// A per-thread packing buffer, pinned so the kernels can hold raw pointers into it. It only ever holds copies of
/// the current call's operands, is fully overwritten before it is read, and is never handed to a caller.
/// </summary>
internal static unsafe class GemmBuffer<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? buffer;

    public static T* Get(long length)
    {
        // 64 extra elements let the start be rounded up to a 64-byte boundary, so packed panels are cache-line aligned.
        long needed = length + 64;
        if (buffer is null || buffer.Length < needed)
            buffer = GC.AllocateUninitializedArray<T>(checked((int)needed), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + 63) & ~(nint)63);
    }
}
