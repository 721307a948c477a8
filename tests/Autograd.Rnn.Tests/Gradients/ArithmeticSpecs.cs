using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>Rows for the elementwise arithmetic, the broadcasting adjoints, reshape and matmul.</summary>
public static class ArithmeticSpecs
{
    private static Gen<OpCase> Unary { get; } = Generators.AnyDims().Select(d => new OpCase([d], 0));

    private static Gen<OpCase> Broadcasting { get; } = Generators.BroadcastPair().Select(p => new OpCase(p, 0));

    [OpSpecs]
    public static IEnumerable<OpSpec> All =>
    [
        new("Add", typeof(AddOp), Broadcasting, (x, _) => x[0] + x[1]),
        new("Subtract", typeof(SubtractOp), Broadcasting, (x, _) => x[0] - x[1]),
        new("Multiply", typeof(MultiplyOp), Broadcasting, (x, _) => x[0] * x[1]),
        new("Divide", typeof(DivideOp), Broadcasting, (x, _) => x[0] / x[1], Domain.Positive),
        new("Negate", typeof(NegateOp), Unary, (x, _) => -x[0]),
        new("Tanh", typeof(TanhOp), Unary, (x, _) => Tensor.Tanh(x[0])),
        new("Exp", typeof(ExpOp), Unary, (x, _) => Tensor.Exp(x[0])),
        new("Log", typeof(LogOp), Unary, (x, _) => Tensor.Log(x[0]), Domain.Positive),
        new("SumTo", typeof(SumToOp),
            Generators.BroadcastPair().Select(p => new OpCase([p[0].Length >= p[1].Length ? p[0] : p[1]], 0)),
            (x, _) => Tensor.SumTo(x[0], new Shape(x[0].Shape.ToArray().Select((d, i) => i % 2 == 0 ? 1 : d).ToArray()))),
        new("SumTo scalar", typeof(SumToOp), Unary, (x, _) => Tensor.Sum(x[0])),
        new("BroadcastTo", typeof(BroadcastToOp),
            Generators.AnyDims().Select(d => new OpCase([d.Select((v, i) => i % 2 == 0 ? 1 : v).ToArray()], 0)),
            (x, _) => Tensor.BroadcastTo(x[0], new Shape([2, .. x[0].Shape.ToArray().Select(v => v == 1 ? 3 : v)]))),
        new("Reshape", typeof(ReshapeOp), Generators.Dims(2).Select(d => new OpCase([d], 0)), (x, _) => x[0].Reshape(-1)),
        new("MatMul", typeof(MatMulOp), MatMulShapes(false, false), (x, _) => Tensor.MatMul(x[0], x[1])),
        new("MatMulTransposeA", typeof(MatMulOp), MatMulShapes(true, false), (x, _) => Tensor.MatMulTransposeA(x[0], x[1])),
        new("MatMulTransposeB", typeof(MatMulOp), MatMulShapes(false, true), (x, _) => Tensor.MatMulTransposeB(x[0], x[1])),
        new("MatMul batched", typeof(MatMulOp),
            from d in Generators.Dims(4) select new OpCase([[d[0], d[1], d[2]], [d[2], d[3]]], 0),
            (x, _) => Tensor.MatMul(x[0], x[1])),
    ];

    private static Gen<OpCase> MatMulShapes(bool transposeA, bool transposeB) =>
        from d in Generators.Dims(3)
        let a = transposeA ? new[] { d[1], d[0] } : new[] { d[0], d[1] }
        let b = transposeB ? new[] { d[2], d[1] } : new[] { d[1], d[2] }
        select new OpCase([a, b], 0);
}
