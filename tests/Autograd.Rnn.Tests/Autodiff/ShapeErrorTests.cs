using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Autodiff;

/// <summary>
/// Shape errors throw at the op that received them, naming the op and both shapes
/// (e.g. <c>MatMul: [32,64] x [128,256]: inner dimensions 64 and 128 differ</c>), traced or not.
/// </summary>
public class ShapeErrorTests
{
    private static readonly (string Name, Func<Tensor<double>, Tensor<double>, Tensor<double>> Apply)[] BinaryOps =
    [
        ("Add", (a, b) => a + b),
        ("Subtract", (a, b) => a - b),
        ("Multiply", (a, b) => a * b),
        ("Divide", (a, b) => a / b),
    ];

    public static TheoryData<string> BinaryOpNames => new() { "Add", "Subtract", "Multiply", "Divide" };

    [Theory]
    [MemberData(nameof(BinaryOpNames))]
    public void Binary_ops_name_themselves_and_both_shapes(string name)
    {
        var op = BinaryOps.Single(o => o.Name == name).Apply;
        var error = Assert.Throws<ArgumentException>(() => op(Tensor.Zeros<double>(2, 3), Tensor.Zeros<double>(4)));
        Assert.StartsWith(name + ":", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Contains("[4]", error.Message);
    }

    [Theory]
    [MemberData(nameof(BinaryOpNames))]
    public void Binary_ops_throw_the_same_error_when_traced(string name)
    {
        var op = BinaryOps.Single(o => o.Name == name).Apply;
        var error = Assert.Throws<ArgumentException>(() =>
            Grad.Gradient(x => Tensor.Sum(op(x, Tensor.Zeros<double>(5, 2))), Tensor.Ones<double>(5, 3)));
        Assert.StartsWith(name + ":", error.Message);
        Assert.Contains("[5,3]", error.Message);
        Assert.Contains("[5,2]", error.Message);
    }

    [Fact]
    public void MatMul_names_both_shapes_and_the_inner_dimensions()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros<float>(32, 64), Tensor.Zeros<float>(128, 256)));
        Assert.Equal("MatMul: [32,64] x [128,256]: inner dimensions 64 and 128 differ.", error.Message);
    }

    [Fact]
    public void Every_matmul_variant_names_itself_and_both_shapes()
    {
        var a = Assert.Throws<ArgumentException>(() => Tensor.MatMulTransposeA(Tensor.Zeros<double>(3, 4), Tensor.Zeros<double>(5, 2)));
        Assert.StartsWith("MatMulTransposeA: [3,4] x [5,2]", a.Message);
        Assert.Contains("3 and 5", a.Message);

        var b = Assert.Throws<ArgumentException>(() => Tensor.MatMulTransposeB(Tensor.Zeros<double>(3, 4), Tensor.Zeros<double>(2, 5)));
        Assert.StartsWith("MatMulTransposeB: [3,4] x [2,5]", b.Message);
        Assert.Contains("4 and 5", b.Message);

        var batched = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros<double>(2, 3, 4), Tensor.Zeros<double>(5, 6)));
        Assert.StartsWith("MatMul: [2,3,4] x [5,6]", batched.Message);
        Assert.Contains("4 and 5", batched.Message);

        var rank = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros<double>(4), Tensor.Zeros<double>(4, 2)));
        Assert.StartsWith("MatMul: [4] x [4,2]", rank.Message);

        var bothBatched = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros<double>(2, 3, 4), Tensor.Zeros<double>(2, 4, 5)));
        Assert.Equal("MatMul: [2,3,4] x [2,4,5]: ranks 3 and 3; supported are 2-D x 2-D and 3-D x 2-D.", bothBatched.Message);

        var traced = Assert.Throws<ArgumentException>(() =>
            Grad.Gradient(x => Tensor.Sum(x.MatMul(Tensor.Zeros<double>(2, 2))), Tensor.Ones<double>(3, 4)));
        Assert.StartsWith("MatMul: [3,4] x [2,2]", traced.Message);
    }

    [Fact]
    public void Reshape_names_both_shapes_and_element_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Reshape(4));
        Assert.StartsWith("Reshape:", error.Message);
        Assert.Contains("[2,3]", error.Message);
        Assert.Contains("[4]", error.Message);

        var inferred = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Reshape(4, -1));
        Assert.StartsWith("Reshape:", inferred.Message);
        Assert.Contains("[2,3]", inferred.Message);
        Assert.Contains("[4,-1]", inferred.Message);

        Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).Reshape(new Shape(5)));
    }

    [Fact]
    public void BroadcastTo_and_SumTo_name_both_shapes()
    {
        var broadcast = Assert.Throws<ArgumentException>(() => Tensor.BroadcastTo(Tensor.Zeros<double>(3), new Shape(2, 4)));
        Assert.StartsWith("BroadcastTo:", broadcast.Message);
        Assert.Contains("[3]", broadcast.Message);
        Assert.Contains("[2,4]", broadcast.Message);

        var sum = Assert.Throws<ArgumentException>(() => Tensor.SumTo(Tensor.Zeros<double>(2, 4), new Shape(3)));
        Assert.StartsWith("SumTo:", sum.Message);
        Assert.Contains("[2,4]", sum.Message);
        Assert.Contains("[3]", sum.Message);
    }

    /// <summary>
    /// A pair of shapes that cannot broadcast: a random shape and a copy with one dimension changed to a different
    /// size, neither of the two sizes being 1; leading dimensions may be dropped from the copy.
    /// </summary>
    private static readonly Gen<(int[] A, int[] B)> IncompatiblePairs =
        from rank in Gen.Choose(1, 4)
        from a in Gen.ArrayOf(Gen.Choose(2, 6), rank)
        from axis in Gen.Choose(0, rank - 1)
        from other in Gen.Choose(2, 6).Where(d => d != a[axis])
        from drop in Gen.Choose(0, axis)
        from swap in Gen.Elements(true, false)
        let b = a.Select((d, i) => i == axis ? other : d).Skip(drop).ToArray()
        select swap ? (b, a) : (a, b);

    [Fact]
    public void Every_incompatible_pair_is_rejected_by_every_binary_op_naming_both_shapes() =>
        Prop.ForAll(IncompatiblePairs.ToArbitrary(), pair =>
        {
            var a = Tensor.Zeros<double>(pair.A);
            var b = Tensor.Zeros<double>(pair.B);
            foreach (var (name, apply) in BinaryOps)
            {
                try
                {
                    apply(a, b);
                    return false.Label($"{name} accepted {a.Shape} and {b.Shape}");
                }
                catch (ArgumentException e)
                {
                    bool named = e.Message.StartsWith(name + ":", StringComparison.Ordinal)
                        && e.Message.Contains(a.Shape.ToString()) && e.Message.Contains(b.Shape.ToString());
                    if (!named) return false.Label($"{name} on {a.Shape}, {b.Shape}: \"{e.Message}\"");
                }
            }
            return true.Label("all rejected");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Every_pair_with_different_inner_dimensions_is_rejected_by_matmul() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(1, 9), 4).Where(d => d[1] != d[2]).ToArbitrary(), d =>
        {
            var a = new Shape(d[0], d[1]);
            var b = new Shape(d[2], d[3]);
            var e = Assert.Throws<ArgumentException>(() => Tensor.MatMul(Tensor.Zeros<double>(d[0], d[1]), Tensor.Zeros<double>(d[2], d[3])));
            return (e.Message == $"MatMul: {a} x {b}: inner dimensions {d[1]} and {d[2]} differ.").Label(e.Message);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
}
