using System.Reflection;
using Autograd.Rnn.Conformance.Generator;

// Writes the conformance reference files: libtorch's forward values and gradients (float64, one thread) for every
// case in tests/Autograd.Rnn.Conformance.Tests/Cases. Same inputs, same bytes: run it twice and `git diff` shows nothing.
//   dotnet run -c Release --project tests/Autograd.Rnn.Conformance.Generator [-- --output <folder>]

string output = args switch
{
    [] => DefaultOutput(),
    ["--output", var folder] => Path.GetFullPath(folder),
    _ => throw new ArgumentException("usage: [--output <folder>] (default: tests/Autograd.Rnn.Conformance.Tests/References)"),
};
Directory.CreateDirectory(output);

// One thread, so results do not depend on the machine's core count (libtorch's reductions split work by thread).
torch.set_num_threads(1);
torch.set_default_dtype(torch.float64);

string torchSharpVersion = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
    ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";
KeyValuePair<string, string>[] header =
[
    new("format", "autograd-rnn-conformance 1"),
    new("libtorch", torch.__version__),
    new("torchsharp", torchSharpVersion),
    new("dtype", "float64"),
    new("threads", torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture)),
];
string[] comments =
[
    "libtorch's values and gradients for tests/Autograd.Rnn.Conformance.Tests, in float64.",
    "Written by tests/Autograd.Rnn.Conformance.Generator: do not edit, regenerate (see its README.md).",
    "One tensor per line: role TAB name TAB shape (dimensions, comma-separated; empty for a scalar) TAB values",
    "(shortest round-trip form, space-separated). Roles: input (differentiated), constant, reference (libtorch's result).",
];

Write("ops.txt", OpReferences.All());
Write("recurrent.txt", RecurrentReferences.All());
Write("optimizers.txt", OptimizerReferences.All());

void Write(string fileName, IEnumerable<ReferenceCase> cases)
{
    var file = new ReferenceFile(header, cases.ToArray());
    string path = Path.Combine(output, fileName);
    file.Write(path, comments);
    Console.WriteLine($"{path}: {file.Cases.Count} cases, {new FileInfo(path).Length} bytes");
}

// The References folder of the conformance tests in the repository that holds the current directory.
static string DefaultOutput()
{
    for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "Autograd.Rnn.sln")))
            return Path.Combine(folder.FullName, "tests", "Autograd.Rnn.Conformance.Tests", "References");
    throw new InvalidOperationException("Run from inside the repository (no Autograd.Rnn.sln above the current folder), or pass --output <folder>.");
}
