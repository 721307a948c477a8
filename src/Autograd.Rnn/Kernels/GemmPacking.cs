using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// A read-only strided view of a matrix: element (row, column) is at <c>Data[row·RowStride + column·ColumnStride]</c>.
/// One of the strides is 1. A transposed operand is the same memory with the strides swapped, which is how the
/// GEMM serves A·B, A·Bᵀ and Aᵀ·B without ever materialising a transpose.
/// </summary>
internal readonly unsafe struct StridedMatrix<T>(T* data, nint rowStride, nint columnStride) where T : unmanaged
{
    public readonly T* Data = data;
    public readonly nint RowStride = rowStride;
    public readonly nint ColumnStride = columnStride;

    public T* At(nint row, nint column) => Data + row * RowStride + column * ColumnStride;
}

/// <summary>
/// Copies blocks of A and B into the contiguous, zero-padded panel layouts the micro-kernel streams through.
/// Each layout of the caller's matrix (rows or columns contiguous) is handled here, so the kernel sees one layout.
/// </summary>
internal static unsafe class GemmPacking<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Packs A[i0 .. i0+mc, p0 .. p0+kc] as ⌈mc/mr⌉ panels of kc·mr values, panel[p·mr + r] = A[i0 + r, p0 + p].
    /// Rows past mc are left unwritten: a short tile runs a kernel specialised to its row count, which never reads them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(StridedMatrix<T> a, int i0, int p0, int mc, int kc, int mr, T* destination)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* source = a.At(i0 + ir, p0);
            if (a.ColumnStride == 1)
                GemmTranspose<T>.Interleave(source, a.RowStride, rows, kc, destination, mr);
            else
            {
                // Columns contiguous (Aᵀ): each k step is a run of rows.
                for (int p = 0; p < kc; p++)
                    CopyRun(source + p * a.ColumnStride, destination + p * mr, rows);
            }
            destination += (nint)mr * kc;
        }
    }

    /// <summary>
    /// Packs B[p0 .. p0+kc, j0 .. j0+nc] as ⌈nc/nr⌉ panels of kc·nr values, panel[p·nr + j] = B[p0 + p, j0 + j];
    /// columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(StridedMatrix<T> b, int p0, int j0, int kc, int nc, int nr, T* destination)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* source = b.At(p0, j0 + jr);
            if (b.ColumnStride == 1)
            {
                // Rows contiguous (B): each k step is a run of columns.
                for (int p = 0; p < kc; p++)
                    CopyRun(source + p * b.RowStride, destination + p * nr, columns);
            }
            else
                GemmTranspose<T>.Interleave(source, b.ColumnStride, columns, kc, destination, nr);
            if (columns < nr)
                for (int p = 0; p < kc; p++)
                    for (int j = columns; j < nr; j++)
                        destination[p * nr + j] = T.Zero;
            destination += (nint)nr * kc;
        }
    }

    /// <summary>
    /// Copies one run of a panel: a full run of the vector paths is 32, 64 or 128 bytes, copied with vector loads and
    /// stores. A memmove call per run cost more than the copy: packing the transposed factor of a stacked weight gradient
    /// (8 floats per call) took about 5 % of a batch-32 LSTM training step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(T* source, T* destination, int count)
    {
        int bytes = count * sizeof(T);
        byte* s = (byte*)source, d = (byte*)destination;
        if (bytes == 32) Vector256.Store(Vector256.Load(s), d);
        else if (bytes == 64) Vector512.Store(Vector512.Load(s), d);
        else if (bytes == 128)
        {
            Vector512.Store(Vector512.Load(s), d);
            Vector512.Store(Vector512.Load(s + 64), d + 64);
        }
        else Unsafe.CopyBlockUnaligned(d, s, (uint)bytes);
    }
}
