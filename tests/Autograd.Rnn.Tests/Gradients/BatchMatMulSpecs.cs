using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>Rows for the three batched product forms, and a second-order row through their VJPs.</summary>
public static class BatchMatMulSpecs
{
    private static Gen<OpCase> Shapes(bool transposeA, bool transposeB) =>
        from d in Generators.Dims(4)
        let a = transposeA ? new[] { d[0], d[2], d[1] } : new[] { d[0], d[1], d[2] }
        let b = transposeB ? new[] { d[0], d[3], d[2] } : new[] { d[0], d[2], d[3] }
        select new OpCase([a, b], 0);

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("BatchMatMul", typeof(BatchMatMulOp), Shapes(false, false), (x, _) => Tensor.BatchMatMul(x[0], x[1])),
        new("BatchMatMulTransposeA", typeof(BatchMatMulOp), Shapes(true, false), (x, _) => Tensor.BatchMatMulTransposeA(x[0], x[1])),
        new("BatchMatMulTransposeB", typeof(BatchMatMulOp), Shapes(false, true), (x, _) => Tensor.BatchMatMulTransposeB(x[0], x[1])),
        new("BatchMatMul second order", typeof(BatchMatMulOp), Shapes(false, false),
            (x, _) => Grad.Gradient(v => Tensor.Sum(Tensor.Tanh(Tensor.BatchMatMul(v, x[1]))), x[0])),
    ];
}

/// <summary>The batched product against one 2-D product per batch entry, and its shape errors.</summary>
public class BatchMatMulTests
{
    [Fact]
    public void Each_batch_entry_is_the_matrix_product_of_its_slices_in_every_form()
    {
        var a = Tensor.RandomNormal<double>([3, 4, 5], 1);
        var b = Tensor.RandomNormal<double>([3, 5, 2], 2);
        var bt = Tensor.RandomNormal<double>([3, 2, 5], 3);
        var at = Tensor.RandomNormal<double>([3, 5, 4], 4);
        var plain = Tensor.BatchMatMul(a, b);
        var transposedB = Tensor.BatchMatMulTransposeB(a, bt);
        var transposedA = Tensor.BatchMatMulTransposeA(at, b);
        Assert.Equal(new Shape(3, 4, 2), plain.Shape);
        for (int s = 0; s < 3; s++)
        {
            Assert.True(Slice(plain, s).AllClose(Tensor.MatMul(Slice(a, s), Slice(b, s)), 1e-12, 1e-12));
            Assert.True(Slice(transposedB, s).AllClose(Tensor.MatMulTransposeB(Slice(a, s), Slice(bt, s)), 1e-12, 1e-12));
            Assert.True(Slice(transposedA, s).AllClose(Tensor.MatMulTransposeA(Slice(at, s), Slice(b, s)), 1e-12, 1e-12));
        }
    }

    [Fact]
    public void Empty_inner_dimensions_give_zeros()
    {
        var c = Tensor.BatchMatMul(Tensor.Zeros<float>(2, 3, 0), Tensor.Zeros<float>(2, 0, 4));
        Assert.Equal(new Shape(2, 3, 4), c.Shape);
        Assert.All(c.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Shape_errors_name_the_form_and_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.BatchMatMul(Tensor.Zeros<double>(2, 3, 4), Tensor.Zeros<double>(3, 4, 5)));
        Assert.Contains("BatchMatMul: [2,3,4] x [3,4,5]: batch sizes 2 and 3 differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.BatchMatMulTransposeB(Tensor.Zeros<double>(2, 3, 4), Tensor.Zeros<double>(2, 5, 3)));
        Assert.Contains("BatchMatMulTransposeB", e.Message);
        Assert.Contains("inner dimensions 4 and 3 differ", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.BatchMatMul(Tensor.Zeros<double>(3, 4), Tensor.Zeros<double>(2, 4, 5)));
    }

    private static Tensor<double> Slice(Tensor<double> x, int s) => Tensor.Narrow(x, 0, s, 1).Reshape(x.Shape[1], x.Shape[2]);
}
