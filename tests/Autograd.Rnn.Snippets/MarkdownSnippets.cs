namespace Autograd.Rnn.Snippets;

/// <summary>A fenced code block: its language, the line of its first code line (1-based) and its lines.</summary>
internal sealed record Snippet(string Language, int FirstLine, IReadOnlyList<string> Lines, bool CompileOnly, bool Continues = false);

/// <summary>One Markdown file's runnable blocks and the hidden set-up they share.</summary>
/// <param name="Path">The file, relative to the repository root (for messages and #line directives).</param>
/// <param name="Snippets">Every ```csharp and ```fsharp block, in order.</param>
/// <param name="Preludes">Per language, code the file's blocks assume (variables, data), from HTML comments.</param>
internal sealed record MarkdownFile(string Path, IReadOnlyList<Snippet> Snippets, IReadOnlyDictionary<string, Snippet> Preludes);

/// <summary>
/// Reads the code blocks of a Markdown file. Two HTML comments, invisible on the rendered page, serve the runner:
/// <c>&lt;!-- snippet-prelude csharp</c> … <c>--&gt;</c> (or fsharp) holds set-up code that the file's blocks of
/// that language assume (a data set's variables, a model), run once before them; <c>&lt;!-- snippet: compile-only --&gt;</c>
/// right before a block has it compiled but not run (a loop of many training steps, a file written to disk);
/// <c>&lt;!-- snippet: continues --&gt;</c> right before a block runs it in the scope of the block before it, for a page
/// that builds one program step by step (a C# block otherwise gets a scope of its own).
/// </summary>
internal static class MarkdownSnippets
{
    public static readonly string[] Languages = ["csharp", "fsharp"];

    public static MarkdownFile Read(string root, string path)
    {
        var lines = File.ReadAllLines(Path.Combine(root, path));
        var snippets = new List<Snippet>();
        var preludes = new Dictionary<string, Snippet>();
        bool compileOnly = false, continues = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line == "<!-- snippet: compile-only -->" || line == "<!-- snippet: continues -->")
            {
                compileOnly |= line.Contains("compile-only", StringComparison.Ordinal);
                continues |= line.Contains("continues", StringComparison.Ordinal);
                continue;
            }
            if (line.StartsWith("<!-- snippet-prelude ", StringComparison.Ordinal))
            {
                string language = line["<!-- snippet-prelude ".Length..].Trim();
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "-->");
                if (!Languages.Contains(language) || end < 0) throw new FormatException($"{path}:{i + 1}: a snippet-prelude needs a language ({string.Join(" or ", Languages)}) and a closing -->.");
                preludes[language] = new Snippet(language, i + 2, lines[(i + 1)..end], CompileOnly: false);
                i = end;
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal) && line.Length > 3)
            {
                string language = line[3..].Trim();
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
                if (end < 0) throw new FormatException($"{path}:{i + 1}: the code block is not closed.");
                if (Languages.Contains(language)) snippets.Add(new Snippet(language, i + 2, lines[(i + 1)..end], compileOnly, continues));
                i = end;
            }
            if (line.Length > 0) compileOnly = continues = false;
        }
        return new MarkdownFile(path, snippets, preludes);
    }
}
