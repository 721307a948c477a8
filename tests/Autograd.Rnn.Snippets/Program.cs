using System.Diagnostics;
using Autograd.Rnn.Snippets;

// Runs every ```csharp and ```fsharp block of README.md and docs/*.md, so that documentation cannot drift from the
// library. Prints one line per Markdown file and language, then "snippets: N passed, N failed" (counted in blocks);
// exits non-zero when anything failed. Expects the library built in Release (the README's build command).
string root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var paths = new List<string> { "README.md" };
paths.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
    .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal));
var files = paths.Select(p => MarkdownSnippets.Read(root, p)).ToList();
string work = Path.Combine(Path.GetTempPath(), $"autograd-rnn-snippets-{Environment.ProcessId}");
int passed = 0, failed = 0;

// C#: one program for all files.
int csharpBlocks = files.Sum(f => f.Snippets.Count(s => s.Language == "csharp"));
if (csharpBlocks > 0)
{
    string project = CSharpSnippets.WriteProject(root, Path.Combine(work, "csharp"), files);
    var (status, output) = Run("dotnet", ["run", "-c", "Release", "--project", project], root);
    foreach (var line in output.Split('\n'))
    {
        if (line.StartsWith("snippet-file passed ", StringComparison.Ordinal)) passed += int.Parse(line.Split(' ')[2]);
        if (line.StartsWith("snippet-file failed ", StringComparison.Ordinal)) failed += int.Parse(line.Split(' ')[2]);
    }
    Console.WriteLine(output);
    int reported = passed + failed;
    if (reported < csharpBlocks)
    {
        Console.WriteLine($"C# snippets: the program did not build or did not report every file (exit {status}); {csharpBlocks - reported} blocks counted as failed.");
        failed += csharpBlocks - reported;
    }
}

// F#: one script per file.
for (int f = 0; f < files.Count; f++)
{
    string? script = FSharpSnippets.WriteScript(root, Path.Combine(work, "fsharp"), files[f], f);
    if (script is null) continue;
    int blocks = files[f].Snippets.Count(s => s.Language == "fsharp");
    var clock = Stopwatch.StartNew();
    var (status, output) = Run("dotnet", ["fsi", "--nologo", script], root);
    bool warned = output.Contains("warning FS", StringComparison.Ordinal);
    if (status == 0 && !warned)
    {
        passed += blocks;
        Console.WriteLine($"snippet-file passed {blocks} {files[f].Path} (F#, {clock.Elapsed.TotalSeconds:F1} s)");
    }
    else
    {
        failed += blocks;
        Console.WriteLine($"snippet-file failed {blocks} {files[f].Path} (F#, exit {status}{(warned ? ", compiler warnings" : "")}):\n{output}");
    }
}

if (failed == 0) Directory.Delete(work, recursive: true);
else Console.WriteLine($"generated sources kept in {work}");
Console.WriteLine($"snippets: {passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

static (int Status, string Output) Run(string command, string[] arguments, string directory)
{
    var start = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    var error = process.StandardError.ReadToEndAsync();
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return (process.ExitCode, (output + error.Result).TrimEnd());
}
