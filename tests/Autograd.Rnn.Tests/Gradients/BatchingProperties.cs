using FsCheck;
using FsCheck.Fluent;

namespace Autograd.Rnn.Tests.Gradients;

/// <summary>
/// The law every primitive's batching rule obeys, over the same registry, shapes and values as the VJP and JVP
/// properties: <c>Grad.Vmap</c> of the op equals <c>Tensor.Stack</c> of the op called on each example separately, for
/// 1–4 examples, any subset of the inputs batched (the others the same for every example), the batch axis first or
/// last on the way in and anywhere on the way out. Batched runs may use other kernels than per-example runs (one GEMM
/// over stacked rows, a batched product), whose sums round in another order, so the comparison is
/// |batched − looped| ≤ 1e-12 + 1e-12·|looped| in double rather than bit-identity. The same law holds for per-example
/// gradients (Vmap of Grad of ⟨u, f⟩), which batches every op of the VJP rules too.
/// </summary>
public class BatchingProperties
{
    private const int CasesPerOp = 20;
    private const double Tolerance = 1e-12;

    // The StopGradient row rebuilds its value from a raw copy of the input's numbers (ToArray), which no function under
    // Vmap may read; StopGradient's batching is specified in VmapTests instead.
    private static readonly HashSet<string> ReadsValues = ["StopGradient"];

    public static TheoryData<string> SpecNames()
    {
        var data = new TheoryData<string>();
        foreach (var spec in OpRegistry.All) if (!ReadsValues.Contains(spec.Name)) data.Add(spec.Name);
        return data;
    }

    /// <summary>How a case is batched: examples, which inputs are batched (bits), the input and output batch axes.</summary>
    public sealed record Layout(int Examples, int BatchedInputs, bool BatchAxisLast, int OutAxis);

    private static Gen<Layout> Layouts { get; } =
        from examples in Gen.Choose(1, 4)
        from batched in Gen.Choose(1, 255)
        from last in Gen.Elements(false, true)
        from outAxis in Gen.Choose(0, 8)
        select new Layout(examples, batched, last, outAxis);

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Vmap_equals_stacked_per_example_calls(string name)
    {
        var spec = OpRegistry.Named(name);
        Prop.ForAll(Gen.Zip(Gen.Zip(spec.Cases, Generators.Seed), Layouts).ToArbitrary(), c =>
        {
            var ((opCase, seed), layout) = c;
            var (batched, looped) = Both(spec, opCase, seed, layout, inputs => spec.Function(inputs, opCase.Argument));
            return batched.AllClose(looped, Tolerance, Tolerance).Label($"{spec.Name} at {opCase}, seed {seed}, {layout}: vmapped {batched}, looped {looped}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    [Theory]
    [MemberData(nameof(SpecNames))]
    public void Vmap_of_Grad_equals_per_example_gradients(string name)
    {
        var spec = OpRegistry.Named(name);
        Prop.ForAll(Gen.Zip(Gen.Zip(spec.Cases, Generators.Seed), Layouts).ToArbitrary(), c =>
        {
            var ((opCase, seed), layout) = c;
            var exampleInputs = Array.ConvertAll(opCase.Shapes, shape => Values.Draw(shape, spec.Domain, seed));
            var u = Tensor.RandomNormal<double>(spec.Function(exampleInputs, opCase.Argument).Shape.ToArray(), seed ^ 0x3C3CUL);
            var (batched, looped) = Both(spec, opCase, seed, layout, inputs =>
            {
                var parameters = Params<double>.Empty;
                for (int i = 0; i < inputs.Length; i++) parameters = parameters.Add("x" + i, inputs[i]);
                var gradient = Grad.Gradient(p => Tensor.Sum(spec.Function(p.Names.Select(n => p[n]).ToArray(), opCase.Argument) * u), parameters);
                return Tensor.Concat(gradient.Names.Select(n => gradient[n].Reshape(-1)).ToArray(), 0);
            });
            return batched.AllClose(looped, Tolerance, Tolerance).Label($"{spec.Name} at {opCase}, seed {seed}, {layout}: vmapped {batched}, looped {looped}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(CasesPerOp));
    }

    /// <summary>
    /// The function of one example's inputs run both ways: once under Vmap over the batched inputs packed into one
    /// tensor [examples, all elements] (or its transpose, batch axis last) and cut apart inside, once per example.
    /// </summary>
    public static (Tensor<double> Batched, Tensor<double> Looped) Both(OpSpec spec, OpCase opCase, ulong seed, Layout layout,
        Func<Tensor<double>[], Tensor<double>> function)
    {
        int count = opCase.Shapes.Length, examples = layout.Examples;
        var isBatched = new bool[count];
        for (int i = 0; i < count; i++) isBatched[i] = (layout.BatchedInputs >> i & 1) == 1;
        if (!isBatched.Any(b => b)) isBatched[0] = true;
        var inputs = new Tensor<double>[count];
        for (int i = 0; i < count; i++)
            inputs[i] = Values.Draw(isBatched[i] ? [examples, .. opCase.Shapes[i]] : opCase.Shapes[i], spec.Domain, seed + (ulong)i * 1000003UL);

        var results = new Tensor<double>[examples];
        for (int e = 0; e < examples; e++)
            results[e] = function(inputs.Select((x, i) => isBatched[i] ? x.Unstack(0)[e] : x).ToArray());
        int rank = results[0].Rank;
        int outAxis = layout.OutAxis % (rank + 1);
        var looped = Tensor.Stack(results, outAxis);

        var packed = Tensor.Concat(inputs.Where((_, i) => isBatched[i]).Select(x => x.Reshape(examples, -1)).ToArray(), 1);
        if (layout.BatchAxisLast) packed = packed.Transpose();
        var batched = Grad.Vmap(row =>
        {
            var example = new Tensor<double>[count];
            int offset = 0;
            for (int i = 0; i < count; i++)
            {
                if (!isBatched[i]) { example[i] = inputs[i]; continue; }
                int size = opCase.Shapes[i].Aggregate(1, (a, b) => a * b);
                example[i] = Tensor.Narrow(row, 0, offset, size).Reshape(opCase.Shapes[i]);
                offset += size;
            }
            return function(example);
        }, packed, inAxis: layout.BatchAxisLast ? 1 : 0, outAxis: outAxis);
        return (batched, looped);
    }
}
