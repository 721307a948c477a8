namespace Autograd.Rnn.Conformance.Generator;

/// <summary>
/// libtorch's nn.RNN/LSTM/GRU and nn.RNNCell/LSTMCell/GRUCell in float64 with our seeded weights, copied into libtorch's
/// module by name (PyTorch's state_dict names). Stored: the weights, the input (and initial states when given), the
/// seeded random cotangents R of loss = sum(output ⊙ R1) + sum(h_n ⊙ R2) (+ sum(c_n ⊙ R3)), and libtorch's output, h_n
/// (and c_n), loss and the gradient of every weight, of the input and of the initial states. Variable-length batches go
/// through pack_padded_sequence (enforce_sorted: false) and pad_packed_sequence on libtorch's side.
/// </summary>
public static class RecurrentReferences
{
    public static IEnumerable<ReferenceCase> All() =>
        RecurrentCases.Layers().Select(Layer).Concat(RecurrentCases.CellSteps().Select(Cell));

    private static ReferenceCase Layer(RecurrentLayerCase c)
    {
        int seed = TestData.StableHash(c.Name);
        var parameters = c.OurLayer().Initialize((ulong)seed);
        var x = TestData.Uniform(seed + 1, c.InputShape);
        var r1 = TestData.Uniform(seed + 2, c.OutputShape);
        var r2 = TestData.Uniform(seed + 3, c.StateShape);
        var r3 = TestData.Uniform(seed + 4, c.StateShape);
        var h0 = TestData.Uniform(seed + 5, c.StateShape);
        var c0 = TestData.Uniform(seed + 6, c.StateShape);

        using var scope = torch.NewDisposeScope();
        var module = c.TorchModule();
        var torchParameters = CopyWeights(c.Name, module, parameters);
        if (!parameters.Names.SequenceEqual(torchParameters.Select(pair => pair.name)))
            throw new InvalidOperationException($"{c.Name}: our parameter names are not libtorch's state_dict names in its order.");
        var xt = x.ToTorch(requiresGrad: true);
        var h0t = c.GivenInitialState ? h0.ToTorch(requiresGrad: true) : null;
        var c0t = c.GivenInitialState && c.HasCell ? c0.ToTorch(requiresGrad: true) : null;
        var (outputT, hnT, cnT) = c.RunTorch(module, xt, h0t, c0t);
        var lossT = (outputT * r1.ToTorch()).sum() + (hnT * r2.ToTorch()).sum();
        if (c.HasCell) lossT = lossT + (cnT! * r3.ToTorch()).sum();
        lossT.backward();

        var builder = new CaseBuilder(c.Name);
        foreach (var (name, _) in torchParameters) builder.Input(name, parameters[name]);
        builder.Input("input", x);
        if (h0t is not null) builder.Input("h0", h0);
        if (c0t is not null) builder.Input("c0", c0);
        builder.Constant("output cotangent", r1).Constant("h_n cotangent", r2);
        if (c.HasCell) builder.Constant("c_n cotangent", r3);
        builder.Reference("output", outputT).Reference("h_n", hnT);
        if (c.HasCell) builder.Reference("c_n", cnT!);
        builder.Reference("loss", lossT);
        foreach (var (name, parameter) in torchParameters) builder.Reference($"gradient of {name}", Gradient(parameter, name));
        builder.Reference("gradient of the input", Gradient(xt, "input"));
        if (h0t is not null) builder.Reference("gradient of h_0", Gradient(h0t, "h_0"));
        if (c0t is not null) builder.Reference("gradient of c_0", Gradient(c0t, "c_0"));
        return builder.Build();
    }

    private static ReferenceCase Cell(RecurrentCellCase c)
    {
        int seed = TestData.StableHash(c.Name);
        var parameters = c.OurCell().Initialize(RecurrentCellCase.InputSize, RecurrentCellCase.HiddenSize, (ulong)seed);
        int[] stateShape = [RecurrentCellCase.Batch, RecurrentCellCase.HiddenSize];
        var x = TestData.Uniform(seed + 1, [RecurrentCellCase.Batch, RecurrentCellCase.InputSize]);
        var h = TestData.Uniform(seed + 2, stateShape);
        var cc = TestData.Uniform(seed + 3, stateShape);
        var r1 = TestData.Uniform(seed + 4, stateShape);
        var r2 = TestData.Uniform(seed + 5, stateShape);

        using var scope = torch.NewDisposeScope();
        var module = c.TorchModule();
        var torchParameters = CopyWeights(c.Name, module, parameters);
        if (!parameters.Names.Order().SequenceEqual(torchParameters.Select(pair => pair.name).Order()))
            throw new InvalidOperationException($"{c.Name}: our parameter names are not libtorch's.");
        var xt = x.ToTorch(requiresGrad: true);
        var ht = h.ToTorch(requiresGrad: true);
        var ct = c.HasCell ? cc.ToTorch(requiresGrad: true) : null;
        var (hT, cT) = RecurrentCellCase.StepTorch(module, xt, ht, ct);
        var lossT = (hT * r1.ToTorch()).sum();
        if (c.HasCell) lossT = lossT + (cT! * r2.ToTorch()).sum();
        lossT.backward();

        // Our parameters in our order: the tests differentiate with respect to them in the order they were built.
        var builder = new CaseBuilder(c.Name);
        foreach (var name in parameters.Names) builder.Input(name, parameters[name]);
        builder.Input("input", x).Input("h", h);
        if (c.HasCell) builder.Input("c", cc);
        builder.Constant("h' cotangent", r1);
        if (c.HasCell) builder.Constant("c' cotangent", r2);
        builder.Reference("h'", hT);
        if (c.HasCell) builder.Reference("c'", cT!);
        builder.Reference("loss", lossT);
        foreach (var (name, parameter) in torchParameters) builder.Reference($"gradient of {name}", Gradient(parameter, name));
        builder.Reference("gradient of the input", Gradient(xt, "input"));
        builder.Reference("gradient of h", Gradient(ht, "h"));
        if (ct is not null) builder.Reference("gradient of c", Gradient(ct, "c"));
        return builder.Build();
    }

    // Overwrites every parameter of libtorch's module with ours of the same name; returns them in state_dict order.
    private static List<(string name, TorchSharp.Modules.Parameter parameter)> CopyWeights(string caseName, torch.nn.Module module,
        Params<double> parameters)
    {
        var torchParameters = module.named_parameters().ToList();
        using (torch.no_grad())
            foreach (var (name, parameter) in torchParameters)
            {
                if (parameter.dtype != torch.float64) throw new InvalidOperationException($"{caseName}: {name} is {parameter.dtype}, not float64.");
                parameter.copy_(parameters[name].ToTorch());
            }
        return torchParameters;
    }

    private static torch.Tensor Gradient(torch.Tensor leaf, string name) =>
        leaf.grad ?? throw new InvalidOperationException($"libtorch computed no gradient for {name}.");
}
