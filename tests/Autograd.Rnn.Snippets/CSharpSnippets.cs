using System.Text;

namespace Autograd.Rnn.Snippets;

/// <summary>
/// Compiles every C# block into one console program (one class per Markdown file, each block in a scope of its own
/// after the file's prelude, with #line directives so that errors point into the Markdown) and runs it.
/// </summary>
internal static class CSharpSnippets
{
    public static string WriteProject(string root, string directory, IReadOnlyList<MarkdownFile> files)
    {
        Directory.CreateDirectory(directory);
        string library = Path.Combine(root, "src", "Autograd.Rnn", "Autograd.Rnn.csproj");
        // The property-test kit (docs/testing-cells.md), a separate assembly; it brings FsCheck.
        string testing = Path.Combine(root, "src", "Autograd.Rnn.Testing", "Autograd.Rnn.Testing.csproj");
        File.WriteAllText(Path.Combine(directory, "Snippets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <!-- Unused locals and local functions are normal in documentation snippets. -->
                <NoWarn>$(NoWarn);CS0168;CS0219;CS8321;CS1998</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{library}" />
                <ProjectReference Include="{testing}" />
              </ItemGroup>
            </Project>
            """);
        var program = new StringBuilder("var failures = 0;\n");
        for (int f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var snippets = file.Snippets.Where(s => s.Language == "csharp").ToList();
            if (snippets.Count == 0) continue;
            var usings = new SortedSet<string>(StringComparer.Ordinal) { "using Autograd.Rnn;" };
            var body = new StringBuilder();
            string fullPath = Path.Combine(root, file.Path);
            if (file.Preludes.TryGetValue("csharp", out var prelude)) Append(body, fullPath, prelude, usings, "        ");
            for (int s = 0; s < snippets.Count; s++)
            {
                if (!snippets[s].Continues)
                {
                    if (s > 0) body.Append("        }\n");
                    body.Append(snippets[s].CompileOnly ? "        if (SnippetRunner.CompileOnly)\n        {\n" : "        {\n");
                }
                Append(body, fullPath, snippets[s], usings, "            ");
            }
            body.Append("        }\n");
            File.WriteAllText(Path.Combine(directory, $"Doc{f}.cs"),
                string.Join("\n", usings) + $"\n\ninternal static class Doc{f}\n{{\n    public static void Run()\n    {{\n{body}#line default\n    }}\n}}\n");
            program.Append($"failures += SnippetRunner.Run(\"{file.Path}\", {snippets.Count}, Doc{f}.Run);\n");
        }
        program.Append("return failures == 0 ? 0 : 1;\n\n").Append("""
            internal static class SnippetRunner
            {
                // Never true at run time, but not a constant: the compiler checks the guarded blocks all the same.
                public static bool CompileOnly => Environment.GetEnvironmentVariable("SNIPPETS_NEVER_SET_THIS") == "run";

                public static int Run(string file, int snippets, Action run)
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    try
                    {
                        run();
                        Console.WriteLine($"snippet-file passed {snippets} {file} ({clock.Elapsed.TotalSeconds:F1} s)");
                        return 0;
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine($"snippet-file failed {snippets} {file}: {e}");
                        return 1;
                    }
                }
            }
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program.ToString());
        return directory;
    }

    private static void Append(StringBuilder body, string path, Snippet snippet, SortedSet<string> usings, string indent)
    {
        for (int i = 0; i < snippet.Lines.Count; i++)
        {
            string line = snippet.Lines[i];
            string trimmed = line.Trim();
            // using directives belong at the top of the file; `using var` and `using (…)` are statements.
            if (trimmed.StartsWith("using ", StringComparison.Ordinal) && trimmed.EndsWith(';') && !trimmed.StartsWith("using var ", StringComparison.Ordinal)
                && !trimmed.Contains('('))
            {
                usings.Add(trimmed);
                continue;
            }
            body.Append($"#line {snippet.FirstLine + i} \"{path}\"\n").Append(indent).Append(line).Append('\n');
        }
    }
}
