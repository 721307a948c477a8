namespace Autograd.Rnn;

/// <summary>A parameter a cell or layer declares: its name (e.g. <c>weight_ih</c>) and the shape it must have.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Shape">The shape its tensor must have.</param>
public sealed record ParameterShape(string Name, Shape Shape)
{
    /// <summary>Formats as <c>weight_ih [16,3]</c>.</summary>
    public override string ToString() => $"{Name} {Shape}";
}
