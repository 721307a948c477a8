using System.Numerics;
using Autograd.Rnn.Kernels;
using FsCheck.Xunit;

namespace Autograd.Rnn.Tests.Kernels;

/// <summary>
/// The blocked GEMM against a plain scalar reference with double accumulation. Tolerance per element:
/// |c − r| ≤ tol·(1 + Σ_p |a_ip·b_pj|), with tol = 1e-5 for float (k ≤ 512 steps of rounding at 6e-8 stay well
/// below it) and 1e-13 for double.
/// </summary>
public class GemmTests
{
    public enum Layout { AB, ABt, AtB }

    public static readonly int[] Sizes = [0, 1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 33, 64, 65];

    public static TheoryData<Layout> Layouts => new() { Layout.AB, Layout.ABt, Layout.AtB };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Float_product_matches_the_reference_for_every_small_shape(Layout layout)
    {
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                foreach (int k in Sizes)
                    CheckAgainstReference<float>(m, n, k, layout, seed: m * 10_000 + n * 100 + k);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Double_product_matches_the_reference_for_every_small_shape(Layout layout)
    {
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                foreach (int k in Sizes)
                    CheckAgainstReference<double>(m, n, k, layout, seed: m * 10_000 + n * 100 + k);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Large_products_match_the_reference_on_the_multithreaded_path(Layout layout)
    {
        // 257×129×300: odd sizes, k crosses the 256-deep slice, and above the parallel threshold.
        CheckAgainstReference<float>(257, 129, 300, layout, seed: 1);
        CheckAgainstReference<double>(257, 129, 300, layout, seed: 2);
        // The RNN projection shape (split over columns) and a tall one with more rows than an A block.
        CheckAgainstReference<float>(32, 1024, 256, layout, seed: 3);
        CheckAgainstReference<float>(777, 40, 70, layout, seed: 4);
        // Wider than one B block (NC), with few rows: the unpacked-B path plus a column tail.
        CheckAgainstReference<float>(9, 4133, 5, layout, seed: 5);
        CheckAgainstReference<double>(9, 2085, 5, layout, seed: 6);
        // Batch-1..4 RNN steps, which A·Bᵀ computes as dot products of rows.
        CheckAgainstReference<float>(1, 1024, 256, layout, seed: 8);
        CheckAgainstReference<float>(3, 1031, 301, layout, seed: 9);
        CheckAgainstReference<double>(4, 515, 257, layout, seed: 10);
    }

    [Fact]
    public void Float_512_cube_matches_the_reference()
    {
        CheckAgainstReference<float>(512, 512, 512, Layout.AB, seed: 7);
    }

    [Property(MaxTest = 150)]
    public void Random_shapes_match_the_reference(byte m, byte n, byte k, byte layout, int seed)
    {
        var shapeLayout = (Layout)(layout % 3);
        CheckAgainstReference<float>(1 + m % 80, 1 + n % 80, 1 + k % 80, shapeLayout, seed);
        CheckAgainstReference<double>(1 + n % 80, 1 + k % 80, 1 + m % 80, shapeLayout, seed);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Accumulating_adds_the_product_to_what_c_holds(Layout layout)
    {
        // Small, dot-product (m ≤ 4 with A·Bᵀ), k crossing a slice, and multithreaded shapes.
        foreach (var (m, n, k) in new[] { (5, 7, 3), (3, 70, 40), (33, 65, 300), (257, 129, 300), (1024, 256, 32) })
        {
            float[] a = Random<float>(m * k, m), b = Random<float>(k * n, n), start = Random<float>(m * n, k);
            var product = Multiply(a, b, m, n, k, layout);
            var c = (float[])start.Clone();
            Gemm.Multiply<float>(a, b, c, m, n, k, layout == Layout.AtB, layout == Layout.ABt, accumulate: true);
            for (int i = 0; i < c.Length; i++)
                Assert.True(Math.Abs(c[i] - (start[i] + product[i])) <= 1e-5f * (1 + Math.Abs(start[i]) + Math.Abs(product[i])),
                    $"{layout} m={m} n={n} k={k}: c[{i}] = {c[i]}, expected {start[i]} + {product[i]}");
        }
        var untouched = Random<double>(6, 1);
        var copy = (double[])untouched.Clone();
        Gemm.Multiply<double>([], [], untouched, 2, 3, 0, layout == Layout.AtB, layout == Layout.ABt, accumulate: true);
        Assert.Equal(copy, untouched); // adding an empty sum changes nothing
    }

    [Fact]
    public void Transposing_both_operands_throws()
    {
        var x = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(x, x, new float[4], 2, 2, 2, true, true));
    }

    [Fact]
    public void Zero_depth_writes_zeros_and_leaves_the_rest_of_c_alone()
    {
        var c = new float[] { float.NaN, 5, 6, 7, 8, 9, 42 };
        Gemm.Multiply<float>([], [], c, 2, 3, 0, false, false);
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 42 }, c);
    }

    [Fact]
    public void Elements_past_m_times_n_are_not_written()
    {
        var (a, b) = (Random<float>(37 * 19, 1), Random<float>(19 * 45, 2));
        var c = new float[37 * 45 + 3];
        c.AsSpan(37 * 45).Fill(-3);
        Gemm.Multiply<float>(a, b, c, 37, 45, 19, false, false);
        Assert.Equal(new float[] { -3, -3, -3 }, c[(37 * 45)..]);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Repeated_calls_are_bit_identical(Layout layout)
    {
        var (a, b) = (Random<float>(300 * 270, 8), Random<float>(270 * 310, 9));
        float[] first = Multiply(a, b, 300, 310, 270, layout), second = Multiply(a, b, 300, 310, 270, layout);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Each_element_is_bit_identical_however_the_rows_are_split()
    {
        // The full product runs multithreaded over row blocks; a slice of A's rows runs single-threaded on its own.
        // Equal bits mean an element's summation order does not depend on the split, hence not on the thread count.
        const int m = 400, n = 300, k = 513, start = 101, rows = 77;
        var (a, b) = (Random<float>(m * k, 10), Random<float>(k * n, 11));
        float[] full = Multiply(a, b, m, n, k, Layout.AB);
        float[] part = Multiply(a[(start * k)..((start + rows) * k)], b, rows, n, k, Layout.AB);
        Assert.Equal(full[(start * n)..((start + rows) * n)], part);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_row_has_the_same_bits_whatever_the_number_of_rows(Layout layout)
    {
        // One row takes the wide single-row kernel (four panels at once) where its columns allow and the one-panel
        // kernel for the rest; a few rows take the short-tile kernels; a recurrent step at batch 1, 3 or 40 must give
        // each row the bits it gets in any other batch, and a packed B and accumulation must not change that.
        foreach (var (n, k) in new[] { (128, 32), (32, 128), (200, 300), (4133, 5), (31, 7) })
        {
            const int m = 40, row = 3;
            var (a, b, start) = (Random<double>(m * k, n), Random<double>(k * n, k), Random<double>(m * n, n + k));
            var packed = layout == Layout.AtB ? null : GemmPackedB<double>.Pack(b, n, k, layout == Layout.ABt);
            foreach (int rows in new[] { 1, 2, 3, 4, 5, 9 })
                foreach (bool accumulate in new[] { false, true })
                {
                    // Rows [row, row + rows) of the full product, as a product of those rows of A alone.
                    double[] full = (double[])start.Clone();
                    Gemm.Multiply<double>(a, b, full, m, n, k, layout == Layout.AtB, layout == Layout.ABt, accumulate);
                    var part = new double[rows * k];
                    for (int i = 0; i < rows; i++)
                        for (int p = 0; p < k; p++)
                            part[layout == Layout.AtB ? p * rows + i : i * k + p] = ElementOfA(a, row + i, p, m, k, layout);
                    foreach (var packedB in packed is null ? new GemmPackedB<double>?[] { null } : [null, packed])
                    {
                        double[] c = start[(row * n)..((row + rows) * n)];
                        Gemm.Multiply<double>(part, b, c, rows, n, k, layout == Layout.AtB, layout == Layout.ABt, accumulate, packedB);
                        Assert.True(full.AsSpan(row * n, rows * n).SequenceEqual(c),
                            $"{layout} n={n} k={k} rows={rows} accumulate={accumulate} packed={packedB is not null}");
                    }
                }
        }
    }

    [Theory]
    [InlineData(512, 128, 2048)]
    [InlineData(200, 40, 100)]
    [InlineData(300, 7, 64)]
    [InlineData(130, 64, 65)]
    [InlineData(96, 50, 300)]
    public void A_transposed_product_has_the_bits_of_the_product_of_the_transposed_copy(int m, int n, int k)
    {
        // Aᵀ·B (a weight's gradient from stacked factors) packs A from its columns; its elements must be the ones the
        // product of an explicitly transposed copy of A gives, accumulating or not, in float and double, on the
        // multithreaded path (the first shape) too: how an operand is laid out never changes a bit.
        Check<float>();
        Check<double>();

        void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (a, b, start) = (Random<T>(k * m, m + k), Random<T>(k * n, n), Random<T>(m * n, m));
            var copy = new T[m * k];
            for (int p = 0; p < k; p++)
                for (int i = 0; i < m; i++)
                    copy[i * k + p] = a[p * m + i];
            foreach (bool accumulate in new[] { false, true })
            {
                T[] viaTranspose = (T[])start.Clone(), direct = (T[])start.Clone();
                Gemm.Multiply<T>(a, b, viaTranspose, m, n, k, transposeA: true, transposeB: false, accumulate);
                Gemm.Multiply<T>(copy, b, direct, m, n, k, transposeA: false, transposeB: false, accumulate);
                Assert.True(direct.AsSpan().SequenceEqual(viaTranspose), $"{typeof(T).Name} m={m} n={n} k={k} accumulate={accumulate}");
            }
        }
    }

    [Fact]
    public void Each_element_is_bit_identical_however_the_columns_are_split()
    {
        // A·Bᵀ with B [n, k]: rows of B are columns of C, so a slice of B's rows computes a column block of C.
        const int m = 48, n = 2000, k = 300, start = 333, columns = 45;
        var (a, b) = (Random<double>(m * k, 12), Random<double>(n * k, 13));
        double[] full = Multiply(a, b, m, n, k, Layout.ABt);
        double[] part = Multiply(a, b[(start * k)..((start + columns) * k)], m, columns, k, Layout.ABt);
        for (int i = 0; i < m; i++)
            Assert.Equal(full.AsSpan(i * n + start, columns).ToArray(), part.AsSpan(i * columns, columns).ToArray());
    }

    [Theory]
    [InlineData(Layout.AB)]
    [InlineData(Layout.ABt)]
    public void A_right_operand_packed_once_gives_the_bits_of_packing_it_on_every_call(Layout layout)
    {
        // Batch-32 recurrent step, more rows than the in-place B path, k across the 256-deep slice, wider than one B
        // block (NC) with a column tail, the multithreaded path (split by rows), a few rows, and one row.
        GemmPackedB<float>? reused = null;
        foreach (var (m, n, k) in new[] { (32, 512, 128), (65, 70, 300), (70, 4133, 5), (257, 129, 300), (3, 40, 20), (1, 200, 40) })
        {
            bool transposeB = layout == Layout.ABt;
            var (a, b, start) = (Random<float>(m * k, m), Random<float>(k * n, n), Random<float>(m * n, k));
            var packed = GemmPackedB<float>.Pack(b, n, k, transposeB, reused);
            foreach (bool accumulate in new[] { false, true })
            {
                float[] expected = (float[])start.Clone(), actual = (float[])start.Clone();
                Gemm.Multiply<float>(a, b, expected, m, n, k, false, transposeB, accumulate);
                // Zeros in b's place show the packed copy is what is read.
                Gemm.Multiply<float>(a, new float[n * k], actual, m, n, k, false, transposeB, accumulate, packed);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{layout} m={m} n={n} k={k} accumulate={accumulate}");
            }
            reused = packed;
        }
        var doubles = Random<double>(64 * 48, 3);
        var packedDoubles = GemmPackedB<double>.Pack(doubles, 48, 64, layout == Layout.ABt);
        var (x, viaPacked, direct) = (Random<double>(100 * 64, 4), new double[100 * 48], new double[100 * 48]);
        Gemm.Multiply<double>(x, doubles, direct, 100, 48, 64, false, layout == Layout.ABt);
        Gemm.Multiply<double>(x, doubles, viaPacked, 100, 48, 64, false, layout == Layout.ABt, packedB: packedDoubles);
        Assert.Equal(direct, viaPacked);
    }

    [Fact]
    public void A_packed_right_operand_of_other_dimensions_is_refused()
    {
        var packed = GemmPackedB<float>.Pack(new float[6], 3, 2, transposeB: false);
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(new float[4], new float[6], new float[6], 2, 2, 3, false, false, packedB: packed));
        Assert.Contains("n=3, k=2 does not fit n=2, k=3", error.Message);
    }

    [Fact]
    public void A_nan_in_a_row_of_a_poisons_only_that_row_of_c()
    {
        const int m = 20, n = 40, k = 30;
        var (a, b) = (Random<float>(m * k, 14), Random<float>(k * n, 15));
        a[9 * k + 17] = float.NaN;
        b[3 * n + 5] = float.PositiveInfinity;
        float[] c = Multiply(a, b, m, n, k, Layout.AB);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.True(i == 9 || j == 5 ? !float.IsFinite(c[i * n + j]) : float.IsFinite(c[i * n + j]), $"c[{i},{j}] = {c[i * n + j]}");
    }

    private static void CheckAgainstReference<T>(int m, int n, int k, Layout layout, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Random<T>(m * k, seed), b = Random<T>(k * n, seed + 1);
        T[] c = Multiply(a, b, m, n, k, layout);
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-13;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = double.CreateChecked(ElementOfA(a, i, p, m, k, layout)) * double.CreateChecked(ElementOfB(b, p, j, n, k, layout));
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double actual = double.CreateChecked(c[i * n + j]);
                if (!(Math.Abs(actual - sum) <= tolerance * (1 + magnitude)))
                    Assert.Fail($"{typeof(T).Name} {layout} m={m} n={n} k={k}: c[{i},{j}] = {actual}, reference {sum}");
            }
    }

    /// <summary>Runs the GEMM with c pre-filled with NaN, so a kernel that reads c before writing it shows up.</summary>
    private static T[] Multiply<T>(T[] a, T[] b, int m, int n, int k, Layout layout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        c.AsSpan().Fill(T.NaN);
        Gemm.Multiply<T>(a, b, c, m, n, k, layout == Layout.AtB, layout == Layout.ABt);
        return c;
    }

    // a is stored [m, k], or [k, m] for AtB; b is stored [k, n], or [n, k] for ABt.
    private static T ElementOfA<T>(T[] a, int i, int p, int m, int k, Layout layout) => layout == Layout.AtB ? a[p * m + i] : a[i * k + p];

    private static T ElementOfB<T>(T[] b, int p, int j, int n, int k, Layout layout) => layout == Layout.ABt ? b[j * k + p] : b[p * n + j];

    private static T[] Random<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
            values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return values;
    }
}
