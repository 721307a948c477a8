using System.Xml;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;
using BenchmarkDotNet.Toolchains.Results;

namespace Autograd.Rnn.Benchmarks;

/// <summary>
/// BenchmarkDotNet's default (out-of-process) .NET toolchain, except that the project it generates for each
/// benchmark process also imports the MSBuild files this project imports with <c>&lt;Import Project="…"/&gt;</c>.
/// <para>
/// That is how the generated project gets tests/LibTorchFix/LibTorchFix.targets: it builds its own copy of
/// TorchSharp's libLibTorchSharp.so into its own output folder, which libtorch on Debian 12 cannot load unpatched.
/// BenchmarkDotNet switches off Directory.Build.props/targets for the generated project and copies only a fixed
/// list of properties from ours, so without this the benchmark processes fail to load torch.
/// </para>
/// </summary>
public static class ImportCopyingToolchain
{
    public static IToolchain Create()
    {
        var settings = NetCoreAppSettings.NetCoreApp10_0;
        return new Toolchain("net10.0+imports",
            new Generator(settings.TargetFrameworkMoniker, settings.CustomDotNetCliPath, settings.PackagesPath, settings.RuntimeFrameworkVersion),
            new DotNetCliBuilder(settings.TargetFrameworkMoniker, settings.CustomDotNetCliPath),
            new DotNetCliExecutor(settings.CustomDotNetCliPath!));
    }

    private sealed class Generator(string tfm, string? cliPath, string? packagesPath, string? runtimeFrameworkVersion)
        : CsProjGenerator(tfm, cliPath!, packagesPath!, runtimeFrameworkVersion!)
    {
        protected override void GenerateProject(BuildPartition buildPartition, ArtifactsPaths artifactsPaths, ILogger logger)
        {
            base.GenerateProject(buildPartition, artifactsPaths, logger);
            var ourProject = GetProjectFilePath(buildPartition.RepresentativeBenchmarkCase.Descriptor.Type, logger);
            var document = new XmlDocument();
            document.Load(ourProject.FullName);
            var imports = document.DocumentElement!.GetElementsByTagName("Import").Cast<XmlElement>()
                .Where(import => !import.HasAttribute("Sdk") && import.HasAttribute("Project"))
                .Select(import => Path.GetFullPath(Path.Combine(ourProject.DirectoryName!, import.GetAttribute("Project"))))
                .Select(path => $"  <Import Project=\"{path}\" />")
                .ToList();
            if (imports.Count == 0) return;
            string generated = File.ReadAllText(artifactsPaths.ProjectFilePath);
            int end = generated.LastIndexOf("</Project>", StringComparison.Ordinal);
            File.WriteAllText(artifactsPaths.ProjectFilePath,
                generated[..end] + string.Join(Environment.NewLine, imports) + Environment.NewLine + generated[end..]);
        }
    }
}
