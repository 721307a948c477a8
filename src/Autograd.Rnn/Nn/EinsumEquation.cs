namespace Autograd.Rnn;

/// <summary>
/// A parsed and checked einsum equation: one letter string per operand, the output's letters, and every letter's size.
/// All of <see cref="Tensor.Einsum{T}(string, Tensor{T}[])"/>'s refusals are here, so the composition itself never
/// meets a malformed equation.
/// </summary>
internal sealed class EinsumEquation
{
    private EinsumEquation(string text, string[] inputs, string output, Dictionary<char, int> sizes)
    {
        Text = text;
        Inputs = inputs;
        Output = output;
        Sizes = sizes;
    }

    /// <summary>The equation as the caller wrote it, for error messages.</summary>
    public string Text { get; }

    /// <summary>Each operand's letters, one per axis.</summary>
    public string[] Inputs { get; }

    /// <summary>The output's letters, one per axis (empty for a scalar).</summary>
    public string Output { get; }

    /// <summary>The size of every letter of every operand.</summary>
    public Dictionary<char, int> Sizes { get; }

    public static EinsumEquation Parse(string equation, Shape[] shapes)
    {
        string text = equation;
        string compact = string.Concat(equation.Where(c => !char.IsWhiteSpace(c)));
        int arrow = compact.IndexOf("->", StringComparison.Ordinal);
        if (arrow >= 0 && compact.IndexOf("->", arrow + 2, StringComparison.Ordinal) >= 0)
            throw Error(text, "it has more than one \"->\".");
        string left = arrow >= 0 ? compact[..arrow] : compact;
        var inputs = left.Split(',');
        if (inputs.Length != shapes.Length)
            throw Error(text, $"it names {inputs.Length} operand(s) but {shapes.Length} were given.");

        var sizes = new Dictionary<char, int>();
        var firstOperand = new Dictionary<char, int>();
        for (int operand = 0; operand < inputs.Length; operand++)
        {
            string term = inputs[operand];
            CheckLetters(text, term, $"operand {operand}'s term \"{term}\"");
            var shape = shapes[operand];
            if (term.Length != shape.Rank)
                throw Error(text, $"operand {operand}'s term \"{term}\" names {term.Length} axes but operand {operand} is {shape} (rank {shape.Rank}).");
            for (int axis = 0; axis < term.Length; axis++)
            {
                char letter = term[axis];
                if (term.IndexOf(letter) != axis)
                    throw Error(text, $"letter '{letter}' repeats in operand {operand}'s term \"{term}\"; diagonals are not supported.");
                int size = shape[axis];
                if (sizes.TryGetValue(letter, out int known))
                {
                    if (known != size)
                    {
                        int first = firstOperand[letter];
                        throw Error(text, $"letter '{letter}' has size {known} in operand {first} {shapes[first]} but size {size} in operand {operand} {shape}.");
                    }
                }
                else
                {
                    sizes[letter] = size;
                    firstOperand[letter] = operand;
                }
            }
        }

        string output = arrow >= 0 ? compact[(arrow + 2)..] : Implicit(inputs);
        CheckLetters(text, output, $"the output \"{output}\"");
        for (int axis = 0; axis < output.Length; axis++)
        {
            char letter = output[axis];
            if (output.IndexOf(letter) != axis)
                throw Error(text, $"letter '{letter}' repeats in the output \"{output}\".");
            if (!sizes.ContainsKey(letter))
                throw Error(text, $"output letter '{letter}' appears in no operand.");
        }
        return new EinsumEquation(text, inputs, output, sizes);
    }

    /// <summary>The product of the sizes of <paramref name="letters"/> (1 for none).</summary>
    public int SizeOf(string letters)
    {
        int size = 1;
        foreach (char letter in letters) size *= Sizes[letter];
        return size;
    }

    /// <summary>The sizes of <paramref name="letters"/>, in order.</summary>
    public int[] DimensionsOf(string letters)
    {
        var dimensions = new int[letters.Length];
        for (int i = 0; i < letters.Length; i++) dimensions[i] = Sizes[letters[i]];
        return dimensions;
    }

    public static ArgumentException Error(string equation, string problem) =>
        new($"Einsum \"{equation}\": {problem}");

    // Without "->", the output is every letter that appears exactly once, in alphabetical order (NumPy's convention):
    // "ij,jk" is "ij,jk->ik" and "ji" is a transpose.
    private static string Implicit(string[] inputs)
    {
        var counts = new int[26];
        foreach (string term in inputs)
            foreach (char letter in term)
                if (letter is >= 'a' and <= 'z') counts[letter - 'a']++;
        var output = new System.Text.StringBuilder();
        for (int i = 0; i < counts.Length; i++)
            if (counts[i] == 1) output.Append((char)('a' + i));
        return output.ToString();
    }

    private static void CheckLetters(string equation, string term, string where)
    {
        foreach (char c in term)
            if (c is < 'a' or > 'z')
                throw Error(equation, $"'{c}' in {where} is not a lowercase letter a-z (no ellipsis, uppercase or digits).");
    }
}
