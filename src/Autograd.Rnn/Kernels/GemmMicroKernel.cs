using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace Autograd.Rnn.Kernels;

/// <summary>Which register-blocked inner kernel the GEMM drives on this machine.</summary>
internal enum GemmPath
{
    Vector512,
    Vector256,
    Scalar,
}

/// <summary>
/// The register-blocked inner kernels of <see cref="Gemm"/>: c[0..MR, 0..NR] (+)= a·b over kc steps, where a is a
/// packed panel (a[p·MR + r]) and b holds NR contiguous values per step (b[p·ldb + j]), either a packed panel
/// (ldb = NR) or rows of the caller's row-major B (ldb = n). Every accumulator is a named local and the loop
/// contains no calls: the notes measured a call inside an FMA loop making the JIT spill the accumulators
/// (225 -> 47 GFLOP/s). Each output element is one FMA chain in k order, so the result of an element never depends
/// on which tile or thread computed it.
/// </summary>
internal static unsafe class GemmMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// AVX-512 has 32 vector registers: 8 rows × 2 vectors = 16 accumulators, plus 2 for b and 1 broadcast, fits
    /// without spilling and gives 16 independent FMA chains (at least 8 are needed to hide FMA latency at two per
    /// cycle). The 8 broadcasts + 2 loads per 16 FMAs stay under Zen 5's load bandwidth.
    /// AVX2 has 16 registers: 6 × 2 = 12 accumulators + 3 is the largest block that fits.
    /// </summary>
    public static readonly GemmPath Path =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            ? GemmPath.Vector512
            : Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
                ? GemmPath.Vector256
                : GemmPath.Scalar;

    /// <summary>Rows of a micro-tile (and of a packed A panel).</summary>
    public static readonly int MR = Path switch { GemmPath.Vector512 => 8, GemmPath.Vector256 => 6, _ => 4 };

    /// <summary>Columns of a micro-tile (and of a packed B panel): two vectors.</summary>
    public static readonly int NR = Path switch
    {
        GemmPath.Vector512 => 2 * Vector512<T>.Count,
        GemmPath.Vector256 => 2 * Vector256<T>.Count,
        _ => 4,
    };

    /// <summary>Largest MR·NR over all paths (8 × 32 floats), for a stack tile that holds any edge.</summary>
    public const int MaxTile = 256;

    /// <summary>
    /// c[0..rows, 0..NR] (row stride ldc) = (accumulate ? c : 0) + Σ_p a[p·MR + r]·b[p·ldb + j], for 1 ≤ rows ≤ MR.
    /// Short tiles (m below MR, the last rows of a block) get a kernel specialised to their row count instead of
    /// computing zero rows: at m = 1 that is 8× fewer FMAs.
    /// </summary>
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, bool accumulate, int rows)
    {
        if (Path == GemmPath.Vector512)
        {
            switch (rows)
            {
                case 8: Kernel512<Rows8>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 7: Kernel512<Rows7>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 6: Kernel512<Rows6>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 5: Kernel512<Rows5>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 4: Kernel512<Rows4>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 3: Kernel512<Rows3>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 2: Kernel512<Rows2>(kc, a, b, ldb, c, ldc, accumulate); break;
                default: Kernel512<Rows1>(kc, a, b, ldb, c, ldc, accumulate); break;
            }
        }
        else if (Path == GemmPath.Vector256)
        {
            switch (rows)
            {
                case 6: Kernel256<Rows6>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 5: Kernel256<Rows5>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 4: Kernel256<Rows4>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 3: Kernel256<Rows3>(kc, a, b, ldb, c, ldc, accumulate); break;
                case 2: Kernel256<Rows2>(kc, a, b, ldb, c, ldc, accumulate); break;
                default: Kernel256<Rows1>(kc, a, b, ldb, c, ldc, accumulate); break;
            }
        }
        else
            KernelScalar(kc, a, b, ldb, c, ldc, accumulate, rows);
    }

    /// <summary>How many NR-wide panels <see cref="RunWideRow"/> covers at once.</summary>
    public const int WidePanels = 4;

    /// <summary>Whether <see cref="RunWideRow"/> exists on this machine (the 512-bit path).</summary>
    public static bool HasWideRow => Path == GemmPath.Vector512;

    /// <summary>
    /// One row of c (WidePanels·NR contiguous values) = (accumulate ? c : 0) + Σ_p a[p·MR]·b_i[p·ldb + j] over kc steps,
    /// where panel i starts at b + i·panelStride: the arithmetic of <see cref="Run"/> with rows = 1 on each panel (every
    /// element one FMA chain in k order, so the same bits), with eight independent chains instead of two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunWideRow(int kc, T* a, T* b, nint panelStride, nint ldb, T* c, bool accumulate)
    {
        int w = Vector512<T>.Count;
        T* b1 = b + panelStride, b2 = b1 + panelStride, b3 = b2 + panelStride;
        Vector512<T> c0, c1, c2, c3, c4, c5, c6, c7;
        if (accumulate)
        {
            c0 = Vector512.Load(c); c1 = Vector512.Load(c + w); c2 = Vector512.Load(c + 2 * w); c3 = Vector512.Load(c + 3 * w);
            c4 = Vector512.Load(c + 4 * w); c5 = Vector512.Load(c + 5 * w); c6 = Vector512.Load(c + 6 * w); c7 = Vector512.Load(c + 7 * w);
        }
        else c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = Vector512<T>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<T> ar = Vector512.Create(a[p * 8]);
            nint o = p * ldb;
            c0 = MultiplyAdd(ar, Vector512.Load(b + o), c0); c1 = MultiplyAdd(ar, Vector512.Load(b + o + w), c1);
            c2 = MultiplyAdd(ar, Vector512.Load(b1 + o), c2); c3 = MultiplyAdd(ar, Vector512.Load(b1 + o + w), c3);
            c4 = MultiplyAdd(ar, Vector512.Load(b2 + o), c4); c5 = MultiplyAdd(ar, Vector512.Load(b2 + o + w), c5);
            c6 = MultiplyAdd(ar, Vector512.Load(b3 + o), c6); c7 = MultiplyAdd(ar, Vector512.Load(b3 + o + w), c7);
        }
        c0.Store(c); c1.Store(c + w); c2.Store(c + 2 * w); c3.Store(c + 3 * w);
        c4.Store(c + 4 * w); c5.Store(c + 5 * w); c6.Store(c + 6 * w); c7.Store(c + 7 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        // Without FMA hardware, Vector256.FusedMultiplyAdd would be emulated in software; multiply-add instead.
        if (!X86Fma.IsSupported) return acc + x * y;
        if (typeof(T) == typeof(float))
            return X86Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return X86Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512<TRows>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TRows : struct, IGemmRowCount
    {
        int w = Vector512<T>.Count;
        // Rows at or past TRows.Value are never touched again, so the JIT drops them from the specialisation.
        Vector512<T> c00, c01, c10, c11, c20, c21, c30, c31;
        Vector512<T> c40, c41, c50, c51, c60, c61, c70, c71;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector512<T>.Zero;
        c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<T>.Zero;
        if (accumulate)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + w);
            if (TRows.Value > 1) { c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + w); }
            if (TRows.Value > 2) { c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + w); }
            if (TRows.Value > 3) { c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + w); }
            if (TRows.Value > 4) { c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + w); }
            if (TRows.Value > 5) { c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + w); }
            if (TRows.Value > 6) { c60 = Vector512.Load(c + 6 * ldc); c61 = Vector512.Load(c + 6 * ldc + w); }
            if (TRows.Value > 7) { c70 = Vector512.Load(c + 7 * ldc); c71 = Vector512.Load(c + 7 * ldc + w); }
        }

        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w), ar;
            ar = Vector512.Create(a[0]); c00 = MultiplyAdd(ar, b0, c00); c01 = MultiplyAdd(ar, b1, c01);
            if (TRows.Value > 1) { ar = Vector512.Create(a[1]); c10 = MultiplyAdd(ar, b0, c10); c11 = MultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { ar = Vector512.Create(a[2]); c20 = MultiplyAdd(ar, b0, c20); c21 = MultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { ar = Vector512.Create(a[3]); c30 = MultiplyAdd(ar, b0, c30); c31 = MultiplyAdd(ar, b1, c31); }
            if (TRows.Value > 4) { ar = Vector512.Create(a[4]); c40 = MultiplyAdd(ar, b0, c40); c41 = MultiplyAdd(ar, b1, c41); }
            if (TRows.Value > 5) { ar = Vector512.Create(a[5]); c50 = MultiplyAdd(ar, b0, c50); c51 = MultiplyAdd(ar, b1, c51); }
            if (TRows.Value > 6) { ar = Vector512.Create(a[6]); c60 = MultiplyAdd(ar, b0, c60); c61 = MultiplyAdd(ar, b1, c61); }
            if (TRows.Value > 7) { ar = Vector512.Create(a[7]); c70 = MultiplyAdd(ar, b0, c70); c71 = MultiplyAdd(ar, b1, c71); }
            a += 8; // the packed panel keeps stride MR whatever the row count
            b += ldb;
        }

        c00.Store(c); c01.Store(c + w);
        if (TRows.Value > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
        if (TRows.Value > 2) { c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w); }
        if (TRows.Value > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
        if (TRows.Value > 4) { c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w); }
        if (TRows.Value > 5) { c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w); }
        if (TRows.Value > 6) { c60.Store(c + 6 * ldc); c61.Store(c + 6 * ldc + w); }
        if (TRows.Value > 7) { c70.Store(c + 7 * ldc); c71.Store(c + 7 * ldc + w); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256<TRows>(int kc, T* a, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TRows : struct, IGemmRowCount
    {
        int w = Vector256<T>.Count;
        // Rows at or past TRows.Value are never touched again, so the JIT drops them from the specialisation.
        Vector256<T> c00, c01, c10, c11, c20, c21;
        Vector256<T> c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = Vector256<T>.Zero;
        c30 = c31 = c40 = c41 = c50 = c51 = Vector256<T>.Zero;
        if (accumulate)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + w);
            if (TRows.Value > 1) { c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + w); }
            if (TRows.Value > 2) { c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + w); }
            if (TRows.Value > 3) { c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + w); }
            if (TRows.Value > 4) { c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + w); }
            if (TRows.Value > 5) { c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + w); }
        }

        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + w), ar;
            ar = Vector256.Create(a[0]); c00 = MultiplyAdd(ar, b0, c00); c01 = MultiplyAdd(ar, b1, c01);
            if (TRows.Value > 1) { ar = Vector256.Create(a[1]); c10 = MultiplyAdd(ar, b0, c10); c11 = MultiplyAdd(ar, b1, c11); }
            if (TRows.Value > 2) { ar = Vector256.Create(a[2]); c20 = MultiplyAdd(ar, b0, c20); c21 = MultiplyAdd(ar, b1, c21); }
            if (TRows.Value > 3) { ar = Vector256.Create(a[3]); c30 = MultiplyAdd(ar, b0, c30); c31 = MultiplyAdd(ar, b1, c31); }
            if (TRows.Value > 4) { ar = Vector256.Create(a[4]); c40 = MultiplyAdd(ar, b0, c40); c41 = MultiplyAdd(ar, b1, c41); }
            if (TRows.Value > 5) { ar = Vector256.Create(a[5]); c50 = MultiplyAdd(ar, b0, c50); c51 = MultiplyAdd(ar, b1, c51); }
            a += 6;
            b += ldb;
        }

        c00.Store(c); c01.Store(c + w);
        if (TRows.Value > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
        if (TRows.Value > 2) { c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w); }
        if (TRows.Value > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
        if (TRows.Value > 4) { c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w); }
        if (TRows.Value > 5) { c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w); }
    }

    /// <summary>Only for machines without 256-bit SIMD (or a T the vector paths do not cover): a 4×4 tile.</summary>
    private static void KernelScalar(int kc, T* a, T* b, nint ldb, T* c, nint ldc, bool accumulate, int rows)
    {
        T* acc = stackalloc T[16];
        for (int r = 0; r < 4; r++)
            for (int j = 0; j < 4; j++)
                acc[r * 4 + j] = accumulate && r < rows ? c[r * ldc + j] : T.Zero;
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < 4; r++)
                for (int j = 0; j < 4; j++)
                    acc[r * 4 + j] += a[r] * b[j];
            a += 4;
            b += ldb;
        }
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < 4; j++)
                c[r * ldc + j] = acc[r * 4 + j];
    }
}

/// <summary>A row count known to the JIT, so each short-tile kernel is compiled without the rows it lacks.</summary>
internal interface IGemmRowCount
{
    static abstract int Value { get; }
}

internal readonly struct Rows1 : IGemmRowCount { public static int Value => 1; }
internal readonly struct Rows2 : IGemmRowCount { public static int Value => 2; }
internal readonly struct Rows3 : IGemmRowCount { public static int Value => 3; }
internal readonly struct Rows4 : IGemmRowCount { public static int Value => 4; }
internal readonly struct Rows5 : IGemmRowCount { public static int Value => 5; }
internal readonly struct Rows6 : IGemmRowCount { public static int Value => 6; }
internal readonly struct Rows7 : IGemmRowCount { public static int Value => 7; }
internal readonly struct Rows8 : IGemmRowCount { public static int Value => 8; }
