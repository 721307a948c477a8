namespace Autograd.Rnn.Conformance.Generator;

/// <summary>Collects the tensors of one reference case in the order they are added (which is the order in the file).</summary>
public sealed class CaseBuilder(string name)
{
    private readonly List<NamedTensor> tensors = [];

    public CaseBuilder Input(string tensorName, Tensor<double> value) => Add(TensorRole.Input, tensorName, value);

    public CaseBuilder Constant(string tensorName, Tensor<double> value) => Add(TensorRole.Constant, tensorName, value);

    /// <summary>A result of libtorch's, copied out of the float64 libtorch tensor.</summary>
    public CaseBuilder Reference(string tensorName, torch.Tensor value) => Add(TensorRole.Reference, tensorName, value.detach().ToOurs());

    public ReferenceCase Build() => new(name, tensors.ToArray());

    private CaseBuilder Add(TensorRole role, string tensorName, Tensor<double> value)
    {
        if (tensors.Any(t => t.Role == role && t.Name == tensorName))
            throw new InvalidOperationException($"{name}: two tensors named '{tensorName}'.");
        tensors.Add(new NamedTensor(role, tensorName, value));
        return this;
    }
}
