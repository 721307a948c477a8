using System.Numerics;
using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Plans;

/// <summary>
/// Random step programs: straight-line DAGs over [batch, width] values built from the op set a cell uses — elementwise
/// unary and binary ops (with row-vector, column and scalar broadcasts), column slices, concatenation, matrix products (with a bias: Linear),
/// row sums and means broadcast back (on either side), layer normalisation, a constant Where mask — interpreted the same
/// way in float and double.
/// </summary>
public sealed record StepProgram(int Batch, int Width, Instruction[] Instructions, int[] Outputs, ulong Seed)
{
    /// <summary>Inputs: x, y [batch, width]; a wide value [batch, 2·width]; a row [width]; a matrix [width, width].</summary>
    public const int InputCount = 5;

    public override string ToString() =>
        $"batch {Batch}, width {Width}, seed {Seed}, outputs [{string.Join(",", Outputs)}]: " + string.Join("; ", Instructions.Select((n, i) => $"v{i + InputCount} = {n}"));

    public Tensor<T>[] Inputs<T>(ulong seed) where T : unmanaged, IFloatingPointIeee754<T> =>
    [
        Tensor.RandomNormal<T>([Batch, Width], seed),
        Tensor.RandomNormal<T>([Batch, Width], seed + 1),
        Tensor.RandomNormal<T>([Batch, 2 * Width], seed + 2),
        Tensor.RandomNormal<T>([Width], seed + 3),
        Tensor.RandomNormal<T>([Width, Width], seed + 4, 0, 0.3),
    ];

    /// <summary>Runs the program on <paramref name="inputs"/> (see <see cref="Inputs{T}"/>) with the public ops.</summary>
    public Tensor<T>[] Run<T>(Tensor<T>[] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new List<Tensor<T>>(inputs);
        var mask = Tensor.FromArray(Enumerable.Range(0, Batch).Select(b => b % 2 == 0 ? T.One : T.Zero).ToArray(), Batch, 1);
        foreach (var n in Instructions)
        {
            var a = values[n.A];
            var b = values[n.B];
            values.Add(n.Op switch
            {
                "tanh" => Tensor.Tanh(a),
                "sigmoid" => Tensor.Sigmoid(a),
                "exp" => Tensor.Exp(Tensor.Tanh(a)),
                "log" => Tensor.Log(Tensor.Softplus(a)),
                "softplus" => Tensor.Softplus(a),
                "relu" => Tensor.Relu(a),
                "abs" => Tensor.Abs(a),
                "sqrt" => Tensor.Sqrt(Tensor.Abs(a)),
                "neg" => -a,
                "add" => a + b,
                "sub" => a - b,
                "mul" => a * b,
                "div" => a / (Tensor.Abs(b) + T.One),
                "one minus" => T.One - a,
                "scale" => a * T.CreateTruncating(0.5),
                "add row" => a + values[3],
                "mul row" => values[3] * a,
                "matmul" => a.MatMul(values[4]),
                "matmul transposed" => Tensor.MatMulTransposeB(a, values[4]),
                "linear" => Tensor.Linear(a, values[4], values[3]),
                "left half" => Tensor.Narrow(b, 1, 0, Width),
                "right half" => Tensor.Narrow(b, 1, Width, Width),
                "concat halves" => Tensor.Narrow(Tensor.Concat([a, b], 1), 1, Width / 2, Width),
                "row sum" => a * Tensor.Sum(b, 1, keepDimension: true),
                "row mean minus" => Tensor.Mean(b, 1, keepDimension: true) - a,
                "layer norm" => Tensor.LayerNorm(a, values[3]),
                "where" => Tensor.Where(mask, a, b),
                "erf" => Tensor.Erf(a),
                _ => throw new InvalidOperationException(n.Op),
            });
        }
        return Outputs.Select(i => values[i]).ToArray();
    }

    public static Gen<StepProgram> Generator { get; } =
        from batch in Gen.Choose(1, 5)
        from width in Gen.Elements(1, 2, 3, 8, 17, 32, 40)
        from count in Gen.Choose(1, 14)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1 << 20), 3 * count)
        from outputs in Gen.Choose(1, 3)
        from seed in Gen.Choose(0, int.MaxValue)
        select Build(batch, width, count, picks, outputs, (ulong)seed);

    private static readonly string[] Ops =
    [
        "tanh", "sigmoid", "exp", "log", "softplus", "relu", "abs", "sqrt", "neg", "add", "sub", "mul", "div", "one minus",
        "scale", "add row", "mul row", "matmul", "matmul transposed", "linear", "left half", "right half", "concat halves", "row sum", "row mean minus",
        "layer norm", "where",
        "erf",
        // Not sin and cos: TensorPrimitives.Sin/Cos in double give last-bit differences between the ahead-of-time code
        // a process starts with and the code tiered compilation later replaces it with (seen here: the same Cos call
        // on the same tensor gave 0.78979230123606547, then 0.78979230123606559), so no bit-identity can be asserted
        // between two runs of them, planned or not.
    ];

    // Operands are earlier [batch, width] values (inputs 0 and 1, then every instruction's result); slices read the wide input.
    private static StepProgram Build(int batch, int width, int count, int[] picks, int outputs, ulong seed)
    {
        var narrow = new List<int> { 0, 1 };
        var instructions = new Instruction[count];
        for (int i = 0; i < count; i++)
        {
            string op = Ops[picks[3 * i] % Ops.Length];
            int a = narrow[picks[3 * i + 1] % narrow.Count];
            int b = op is "left half" or "right half" ? 2 : narrow[picks[3 * i + 2] % narrow.Count];
            instructions[i] = new Instruction(op, a, b);
            narrow.Add(InputCount + i);
        }
        var chosen = Enumerable.Range(0, outputs).Select(k => narrow[^(1 + k * 2 % narrow.Count) ]).Distinct().ToArray();
        return new StepProgram(batch, width, instructions, chosen, seed);
    }
}

/// <summary>One instruction: an op of the program's vocabulary on earlier values A and B (B unused by unary ops).</summary>
public sealed record Instruction(string Op, int A, int B)
{
    public override string ToString() => $"{Op}(v{A}, v{B})";
}

internal static class Bits
{
    /// <summary>Whether the tensors hold the same bits (NaN payloads and signed zeros included).</summary>
    public static bool Same<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        a.Shape == b.Shape && MemoryMarshal.AsBytes(a.ToArray().AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.ToArray().AsSpan()));
}
