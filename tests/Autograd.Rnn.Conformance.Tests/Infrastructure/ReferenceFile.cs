using System.Globalization;
using System.Text;

namespace Autograd.Rnn.Conformance.Tests;

// Compiled into the tests (which read reference files) and into tests/Autograd.Rnn.Conformance.Generator (which
// writes them), so the format is defined once.

/// <summary>What a tensor of a reference case is for.</summary>
public enum TensorRole
{
    /// <summary>A value the computation is differentiated with respect to (an op's operand, a weight, a layer's input).</summary>
    Input,

    /// <summary>A value the computation uses but is not differentiated for (a cotangent, an optimizer's gradient sequence).</summary>
    Constant,

    /// <summary>What libtorch computed from the inputs and constants: a forward value, a loss, a gradient.</summary>
    Reference,
}

/// <summary>One named float64 tensor of a reference case.</summary>
public sealed record NamedTensor(TensorRole Role, string Name, Tensor<double> Value);

/// <summary>One conformance case as stored: its tensors in the order the generator wrote them.</summary>
public sealed record ReferenceCase(string Name, IReadOnlyList<NamedTensor> Tensors)
{
    /// <summary>The tensor with this role and name; throws, naming the case, when there is none.</summary>
    public Tensor<double> Get(TensorRole role, string name) =>
        Tensors.FirstOrDefault(t => t.Role == role && t.Name == name)?.Value
        ?? throw new KeyNotFoundException($"Reference case '{Name}' has no {role.ToString().ToLowerInvariant()} '{name}'.");

    /// <summary>The tensors with this role, in file order.</summary>
    public IEnumerable<NamedTensor> All(TensorRole role) => Tensors.Where(t => t.Role == role);

    /// <summary>Every input, in file order, as the parameters a <c>Grad</c> call differentiates with respect to.</summary>
    public Params<double> Inputs() =>
        All(TensorRole.Input).Aggregate(Params<double>.Empty, (parameters, t) => parameters.Add(t.Name, t.Value));
}

/// <summary>
/// A file of reference cases: a small text format, one tensor per line, so that a regenerated file diffs by tensor and
/// the same values always give the same bytes.
/// <code>
/// # comment lines
/// libtorch	2.10.0              header: key TAB value, before the first case
/// case	Tanh                    a case: its name
/// input	x	67	-2.1 0.5 …      role TAB name TAB shape (dimensions joined by ",", empty for a scalar) TAB values
/// </code>
/// Values are float64 in .NET's shortest round-trip form ("R", invariant culture), separated by single spaces; lines end
/// with "\n"; the encoding is UTF-8 without a byte-order mark. Names may hold any character but tab and newline.
/// </summary>
public sealed record ReferenceFile(IReadOnlyList<KeyValuePair<string, string>> Header, IReadOnlyList<ReferenceCase> Cases)
{
    /// <summary>The value of a header key; throws when the file has none.</summary>
    public string HeaderValue(string key) =>
        Header.FirstOrDefault(pair => pair.Key == key).Value ?? throw new KeyNotFoundException($"Reference file has no header '{key}'.");

    /// <summary>The case with this name; throws, telling how to regenerate, when there is none.</summary>
    public ReferenceCase this[string name] =>
        Cases.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException(
            $"No reference for '{name}': regenerate the files with tests/Autograd.Rnn.Conformance.Generator (see its README.md).");

    /// <summary>The text of the file, exactly as <see cref="Write"/> stores it.</summary>
    public string Format(IEnumerable<string> comments)
    {
        var text = new StringBuilder();
        foreach (var comment in comments) text.Append("# ").Append(comment).Append('\n');
        foreach (var (key, value) in Header) text.Append(Checked(key)).Append('\t').Append(Checked(value)).Append('\n');
        foreach (var c in Cases)
        {
            text.Append('\n').Append("case\t").Append(Checked(c.Name)).Append('\n');
            foreach (var tensor in c.Tensors)
            {
                text.Append(RoleName(tensor.Role)).Append('\t').Append(Checked(tensor.Name)).Append('\t')
                    .AppendJoin(',', tensor.Value.Shape.ToArray()).Append('\t');
                var values = tensor.Value.ToArray();
                for (int i = 0; i < values.Length; i++)
                {
                    if (i > 0) text.Append(' ');
                    text.Append(values[i].ToString("R", CultureInfo.InvariantCulture));
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Writes the file (UTF-8, no byte-order mark).</summary>
    public void Write(string path, IEnumerable<string> comments) =>
        File.WriteAllText(path, Format(comments), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    public static ReferenceFile Load(string path)
    {
        var header = new List<KeyValuePair<string, string>>();
        var cases = new List<ReferenceCase>();
        string? caseName = null;
        var tensors = new List<NamedTensor>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            string Where() => $"{path}:{lineNumber}";
            if (fields[0] == "case")
            {
                if (caseName is not null) cases.Add(new ReferenceCase(caseName, tensors.ToArray()));
                caseName = fields.Length == 2 ? fields[1] : throw new FormatException($"{Where()}: expected 'case<TAB>name'.");
                tensors.Clear();
            }
            else if (caseName is null)
            {
                if (fields.Length != 2) throw new FormatException($"{Where()}: expected a header line 'key<TAB>value'.");
                header.Add(new(fields[0], fields[1]));
            }
            else
            {
                if (fields.Length != 4) throw new FormatException($"{Where()}: expected 'role<TAB>name<TAB>shape<TAB>values'.");
                tensors.Add(new NamedTensor(ParseRole(fields[0], Where), fields[1], ParseTensor(fields[2], fields[3], Where)));
            }
        }
        if (caseName is not null) cases.Add(new ReferenceCase(caseName, tensors.ToArray()));
        return new ReferenceFile(header, cases);
    }

    private static Tensor<double> ParseTensor(string shapeField, string valuesField, Func<string> where)
    {
        int[] shape = shapeField.Length == 0 ? [] : Array.ConvertAll(shapeField.Split(','), d => int.Parse(d, CultureInfo.InvariantCulture));
        var values = Array.ConvertAll(valuesField.Split(' '), v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture));
        int size = shape.Aggregate(1, (product, d) => product * d);
        if (values.Length != size) throw new FormatException($"{where()}: shape [{shapeField}] holds {size} values, the line {values.Length}.");
        // FromArray with no dimensions makes a vector; a rank-0 tensor is a scalar.
        return shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
    }

    private static string RoleName(TensorRole role) => role.ToString().ToLowerInvariant();

    private static TensorRole ParseRole(string field, Func<string> where) => field switch
    {
        "input" => TensorRole.Input,
        "constant" => TensorRole.Constant,
        "reference" => TensorRole.Reference,
        _ => throw new FormatException($"{where()}: unknown role '{field}'."),
    };

    private static string Checked(string text) =>
        text.Contains('\t') || text.Contains('\n') ? throw new ArgumentException($"Reference names cannot hold tabs or newlines: '{text}'.") : text;
}
