namespace Autograd.Rnn.Tests.PublicApi;

/// <summary>
/// The library's public surface is checked in (Autograd.Rnn.api.txt beside this file) so that every change to it is
/// deliberate and shows in review. When this test fails it writes the surface it found to Autograd.Rnn.api.received.txt
/// in the same folder; if the change is intended, move that file over Autograd.Rnn.api.txt and commit it.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_API_matches_the_checked_in_listing()
    {
        string folder = Path.Combine(RepositoryRoot(), "tests", "Autograd.Rnn.Tests", "PublicApi");
        string approvedPath = Path.Combine(folder, "Autograd.Rnn.api.txt"), receivedPath = Path.Combine(folder, "Autograd.Rnn.api.received.txt");
        string actual = PublicApiListing.Of(typeof(Tensor).Assembly);
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (actual == approved)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        var before = approved.Split('\n').ToHashSet(StringComparer.Ordinal);
        var after = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        var removed = approved.Split('\n').Where(l => !after.Contains(l)).Select(l => "- " + l);
        var added = actual.Split('\n').Where(l => !before.Contains(l)).Select(l => "+ " + l);
        Assert.Fail($"The public API changed. If that is intended, replace {approvedPath} with {receivedPath} and commit it.\n" +
                    string.Join("\n", removed.Concat(added).Take(80)));
    }

    [Fact]
    public void The_listing_shows_signatures_with_parameter_names_defaults_and_constraints()
    {
        string listing = PublicApiListing.Of(typeof(Tensor).Assembly);
        Assert.Contains("static class Autograd.Rnn.Grad\n", listing);
        Assert.Contains("    static GradientResult<T> ValueAndGrad<T>(Func<Params<T>, Tensor<T>> function, Params<T> parameters) where T : unmanaged, IFloatingPointIeee754<T>\n", listing);
        Assert.Contains("IDisposable Detect(bool includeInfinities = true)", listing);
        Assert.Contains("const int DefaultIgnoreIndex = -100", listing);
        Assert.Contains("Shape Shape { get; }", listing);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Autograd.Rnn.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Autograd.Rnn.sln above {AppContext.BaseDirectory}.");
    }
}
