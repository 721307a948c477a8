using System.Text;

namespace Autograd.Rnn.Snippets;

/// <summary>
/// Writes one F# script per Markdown file: the library referenced as the README shows it, the file's prelude, then its
/// blocks in order (top-level names may be shadowed, as in any script), with line directives pointing into the
/// Markdown. A compile-only block becomes the body of a function that is never called.
/// </summary>
internal static class FSharpSnippets
{
    public static string? WriteScript(string root, string directory, MarkdownFile file, int index)
    {
        var snippets = file.Snippets.Where(s => s.Language == "fsharp").ToList();
        if (snippets.Count == 0) return null;
        string library = Path.Combine(root, "src", "Autograd.Rnn", "bin", "Release", "net10.0", "Autograd.Rnn.dll");
        var script = new StringBuilder()
            .Append("#r \"nuget: System.Numerics.Tensors, 10.0.0\"\n")
            .Append($"#r @\"{library}\"\n")
            .Append("open Autograd.Rnn\n");
        // The property-test kit (docs/testing-cells.md) and FsCheck, only for the files that use it: resolving a package
        // costs every script that asks for one a few seconds.
        if (snippets.Concat(file.Preludes.Values).Any(s => s.Lines.Any(line => line.Contains("Autograd.Rnn.Testing", StringComparison.Ordinal))))
        {
            string testing = Path.Combine(root, "src", "Autograd.Rnn.Testing", "bin", "Release", "net10.0", "Autograd.Rnn.Testing.dll");
            script.Append($"#r \"nuget: FsCheck, {FsCheckVersion}\"\n").Append($"#r @\"{testing}\"\n");
        }
        // The F# companion (docs/fsharp.md), likewise only for the files that open it.
        if (snippets.Concat(file.Preludes.Values).Any(s => s.Lines.Any(line => line.Contains("Autograd.Rnn.FSharp", StringComparison.Ordinal))))
        {
            string companion = Path.Combine(root, "src", "Autograd.Rnn.FSharp", "bin", "Release", "net10.0", "Autograd.Rnn.FSharp.dll");
            script.Append($"#r @\"{companion}\"\n");
        }
        if (file.Preludes.TryGetValue("fsharp", out var prelude)) Append(script, file.Path, prelude, "");
        for (int s = 0; s < snippets.Count; s++)
        {
            if (snippets[s].CompileOnly)
            {
                script.Append($"let private compileOnly{s} () =\n");
                Append(script, file.Path, snippets[s], "    ");
                script.Append("    ()\n");
            }
            else
            {
                Append(script, file.Path, snippets[s], "");
            }
        }
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"doc{index}.fsx");
        File.WriteAllText(path, script.ToString());
        return path;
    }

    /// <summary>The FsCheck that src/Autograd.Rnn.Testing references.</summary>
    private const string FsCheckVersion = "3.6.0";

    private static void Append(StringBuilder script, string path, Snippet snippet, string indent)
    {
        for (int i = 0; i < snippet.Lines.Count; i++)
        {
            string line = snippet.Lines[i];
            string trimmed = line.Trim();
            // The reader's own references (a relative path to the build, the package) are replaced by the runner's.
            if (trimmed.StartsWith("#r ", StringComparison.Ordinal) &&
                (trimmed.Contains("Autograd.Rnn.dll", StringComparison.Ordinal) || trimmed.Contains("Autograd.Rnn.Testing.dll", StringComparison.Ordinal)
                 || trimmed.Contains("Autograd.Rnn.FSharp.dll", StringComparison.Ordinal)
                 || trimmed.Contains("System.Numerics.Tensors", StringComparison.Ordinal) || trimmed.Contains("nuget: FsCheck", StringComparison.Ordinal)))
                continue;
            script.Append($"# {snippet.FirstLine + i} @\"{path}\"\n").Append(indent).Append(line).Append('\n');
        }
    }
}
