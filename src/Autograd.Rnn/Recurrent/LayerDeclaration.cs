using System.Collections.Frozen;
using System.Numerics;
using System.Text;

namespace Autograd.Rnn;

/// <summary>
/// What a <see cref="RecurrentLayer{T}"/> declares — every parameter's full name and shape, for each layer and direction
/// the cell's names with their suffix — and the check that a <see cref="Params{T}"/> holds exactly that. Built once per
/// layer (a layer is immutable), so the check on every <c>Apply</c> is a few dictionary look-ups.
/// </summary>
internal sealed class LayerDeclaration<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentLayer<T> layer;
    private readonly ParameterShape[] all;
    private readonly FrozenDictionary<string, Shape> shapes;
    private readonly (string CellName, string FullName)[][] runs;

    public LayerDeclaration(RecurrentLayer<T> layer)
    {
        this.layer = layer;
        var options = layer.Options;
        int directions = options.Bidirectional ? 2 : 1;
        var all = new List<ParameterShape>();
        runs = new (string, string)[options.NumLayers * directions][];
        for (int k = 0; k < options.NumLayers; k++)
        {
            // Layers above the first read the previous layer's outputs, both directions side by side.
            var cellShapes = layer.Cell.ParameterShapes(k == 0 ? layer.InputSize : layer.HiddenSize * directions, layer.HiddenSize);
            for (int direction = 0; direction < directions; direction++)
            {
                string suffix = Suffix(k, direction);
                var run = new (string, string)[cellShapes.Count];
                for (int i = 0; i < run.Length; i++)
                {
                    run[i] = (cellShapes[i].Name, cellShapes[i].Name + suffix);
                    all.Add(new ParameterShape(cellShapes[i].Name + suffix, cellShapes[i].Shape));
                }
                runs[k * directions + direction] = run;
                if (options.LearnInitialState)
                    for (int part = 0; part < layer.Cell.StateParts; part++)
                        all.Add(new ParameterShape($"initial_state{part}{suffix}", new Shape(layer.HiddenSize)));
            }
        }
        this.all = [.. all];
        shapes = all.ToFrozenDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
    }

    /// <summary>Every parameter the layer declares, in <c>Initialize</c>'s order.</summary>
    public IReadOnlyList<ParameterShape> Parameters => all;

    public static string Suffix(int layer, int direction) => direction == 0 ? $"_l{layer}" : $"_l{layer}_reverse";

    /// <summary>
    /// Whether a name belongs to a recurrent layer: it ends in <c>_l{k}</c> or <c>_l{k}_reverse</c>, or starts with
    /// <c>initial_state</c>. Such a name must be one the layer declares; any other name (<c>readout.weight</c>,
    /// <c>input</c>) belongs to another module and is not looked at.
    /// </summary>
    public static bool IsLayerName(string name)
    {
        if (name.StartsWith("initial_state", StringComparison.Ordinal)) return true;
        var rest = name.AsSpan();
        if (rest.EndsWith("_reverse", StringComparison.Ordinal)) rest = rest[..^"_reverse".Length];
        int digits = rest.Length;
        while (digits > 0 && char.IsAsciiDigit(rest[digits - 1])) digits--;
        return digits < rest.Length && digits >= 2 && rest[digits - 1] == 'l' && rest[digits - 2] == '_';
    }

    /// <summary>The cell's own parameters for one layer and direction: <c>weight_ih_l1_reverse</c> -> <c>weight_ih</c>.</summary>
    public Params<T> CellParameters(Params<T> parameters, int layerIndex, int direction)
    {
        var result = Params<T>.Empty;
        foreach (var (cellName, fullName) in runs[layerIndex * (layer.Options.Bidirectional ? 2 : 1) + direction])
            result = result.Add(cellName, parameters[fullName]);
        return result;
    }

    /// <summary>Throws one exception listing every declared parameter missing or misshapen and every unexpected one.</summary>
    /// <exception cref="ArgumentException">The parameters differ from the declaration.</exception>
    public void Check(Params<T> parameters)
    {
        List<string>? problems = null;
        foreach (var expected in all)
        {
            if (!parameters.Contains(expected.Name))
            {
                (problems ??= []).Add($"{expected.Name}: missing; expected {expected.Shape}");
                continue;
            }
            var actual = parameters[expected.Name].Shape;
            if (actual != expected.Shape) (problems ??= []).Add($"{expected.Name}: expected {expected.Shape}, got {actual}");
        }
        foreach (var name in parameters.Names)
            if (IsLayerName(name) && !shapes.ContainsKey(name))
                (problems ??= []).Add($"{name} {parameters[name].Shape}: unexpected{WhyUnexpected(name)}");
        if (problems is null) return;

        var message = new StringBuilder()
            .Append($"{layer.Cell.Name} layer ({Describe()}): the parameters differ from the ones it declares:");
        foreach (var problem in problems) message.Append("\n  ").Append(problem);
        message.Append("\nNames ending in _l{k} or _l{k}_reverse, or starting with initial_state, belong to the layer and must be ")
            .Append("exactly its own (see RecurrentLayer.Initialize); other names, such as readout.weight, are ignored.");
        throw new ArgumentException(message.ToString());
    }

    private string Describe()
    {
        var options = layer.Options;
        return $"NumLayers = {options.NumLayers}, Bidirectional = {(options.Bidirectional ? "true" : "false")}, "
            + $"LearnInitialState = {(options.LearnInitialState ? "true" : "false")}, input {layer.InputSize}, hidden {layer.HiddenSize}";
    }

    // Which option rules the name out, when one does.
    private string WhyUnexpected(string name)
    {
        var options = layer.Options;
        bool reverse = name.EndsWith("_reverse", StringComparison.Ordinal);
        string withoutReverse = reverse ? name[..^"_reverse".Length] : name;
        int at = withoutReverse.LastIndexOf("_l", StringComparison.Ordinal);
        if (at >= 0 && int.TryParse(withoutReverse.AsSpan(at + 2), out int k) && k >= options.NumLayers)
            return $" (layer {k} does not exist: NumLayers = {options.NumLayers})";
        if (reverse && !options.Bidirectional) return " (no reverse direction: Bidirectional = false)";
        if (name.StartsWith("initial_state", StringComparison.Ordinal))
            return options.LearnInitialState
                ? $" (the {layer.Cell.Name} cell's state has {layer.Cell.StateParts} part(s))"
                : " (the initial state is not learned: LearnInitialState = false)";
        return $" (not a parameter of the {layer.Cell.Name} cell, whose parameters are "
            + string.Join(", ", runs[0].Select(r => r.CellName)) + ")";
    }
}
