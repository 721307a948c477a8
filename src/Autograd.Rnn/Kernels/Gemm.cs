using System.Numerics;

namespace Autograd.Rnn.Kernels;

/// <summary>
/// Matrix product on spans: a cache-blocked, register-blocked GEMM (Vector512 -> Vector256 -> scalar micro-kernel,
/// see <see cref="GemmBlocked{T}"/> and <see cref="GemmMicroKernel{T}"/>), parallel over output tiles above a size
/// threshold unless the calling thread already runs one of several parallel parts (<see cref="KernelThreads"/>).
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>
    /// Below 2²³ multiply-adds the product takes under ~80 µs on one core, and a Parallel.For round trip (waking the
    /// second core, joining) costs a sizeable share of that on these VMs. Measured on an LSTM training step at
    /// (batch 32, hidden 128), whose per-step products are 2²¹ multiply-adds: two threads were slower than one with the
    /// threshold at 2²¹.
    /// </summary>
    private const long ParallelThreshold = 1L << 23;

    /// <summary>
    /// c[m,n] = op(a)·op(b), overwriting c — or, with <paramref name="accumulate"/>, c[m,n] += op(a)·op(b). a is [m,k]
    /// row-major, or [k,m] when <paramref name="transposeA"/>; b is [k,n], or [n,k] when <paramref name="transposeB"/>.
    /// Both transposed at once is not supported. With <paramref name="packedB"/> (b packed once for these n, k and
    /// transposition, <see cref="GemmPackedB{T}.Pack"/>), the product reads the packed copy instead of packing b again:
    /// the same bits. Every row count takes the same blocked kernel, so a row of c has the same bits whatever m is.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB,
        bool accumulate = false, GemmPackedB<T>? packedB = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (packedB is not null && (packedB.N != n || packedB.K != k || packedB.TransposeB != transposeB))
            throw new ArgumentException($"Gemm: a right operand packed for n={packedB.N}, k={packedB.K} does not fit n={n}, k={k}.");
        if (transposeA && transposeB)
            throw new ArgumentException("Gemm: transposing both operands at once is not supported.");
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if ((long)m * k > a.Length || (long)k * n > b.Length || (long)m * n > c.Length)
            throw new ArgumentException($"Gemm: spans of {a.Length}, {b.Length}, {c.Length} are too short for m={m}, n={n}, k={k}.");
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Gemm: {typeof(T).Name} is not supported; use float or double.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            // A transposed operand is the same memory read with swapped strides; packing absorbs the difference.
            var am = transposeA ? new StridedMatrix<T>(pa, 1, m) : new StridedMatrix<T>(pa, k, 1);
            var bm = transposeB ? new StridedMatrix<T>(pb, 1, k) : new StridedMatrix<T>(pb, n, 1);
            if ((long)m * n * k < ParallelThreshold || !KernelThreads.ParallelAllowed)
                GemmBlocked<T>.Run(am, bm, pc, n, m, n, k, accumulate, packedB);
            else
                RunParallel(am, bm, pc, m, n, k, accumulate, packedB);
        }
    }

    /// <summary>
    /// Splits C into one block of whole rows or whole columns per core (the longer side, in micro-tile multiples)
    /// and runs the serial blocked GEMM on each. Work is split over m or n only, never over k, and every element
    /// is computed by the same tile arithmetic wherever it lands, so results do not depend on the thread count. A packed B
    /// is shared whole, so its product is split by rows.
    /// </summary>
    private static void RunParallel<T>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, int m, int n, int k, bool accumulate,
        GemmPackedB<T>? packedB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel<T>.MR, nr = GemmMicroKernel<T>.NR;
        bool splitRows = m >= n || packedB is not null;
        int length = splitRows ? m : n, granule = splitRows ? mr : nr;
        int tiles = (length + granule - 1) / granule;
        int parts = Math.Min(Environment.ProcessorCount, tiles);
        if (parts <= 1)
        {
            GemmBlocked<T>.Run(a, b, c, n, m, n, k, accumulate, packedB);
            return;
        }
        int chunk = (tiles + parts - 1) / parts * granule;
        parts = (length + chunk - 1) / chunk;
        var job = new ParallelJob<T>(a, b, c, m, n, k, splitRows, chunk, accumulate, packedB);
        Parallel.For(0, parts, job.Run);
    }

    private sealed class ParallelJob<T>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, int m, int n, int k, bool splitRows, int chunk,
        bool accumulate, GemmPackedB<T>? packedB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int start = part * chunk;
            if (splitRows)
            {
                int rows = Math.Min(chunk, m - start);
                var rowsOfA = new StridedMatrix<T>(a.At(start, 0), a.RowStride, a.ColumnStride);
                GemmBlocked<T>.Run(rowsOfA, b, c + (nint)start * n, n, rows, n, k, accumulate, packedB);
            }
            else
            {
                int columns = Math.Min(chunk, n - start);
                var columnsOfB = new StridedMatrix<T>(b.At(0, start), b.RowStride, b.ColumnStride);
                GemmBlocked<T>.Run(a, columnsOfB, c + start, n, m, columns, k, accumulate);
            }
        }
    }
}
