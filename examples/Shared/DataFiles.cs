namespace Examples;

/// <summary>Finds <c>examples/data</c> by walking up from the executable (bin/Release/net10.0) and the working directory.</summary>
internal static class DataFiles
{
    public static string Path(string fileName)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "examples", "data", fileName);
                if (File.Exists(candidate)) return candidate;
                candidate = System.IO.Path.Combine(directory.FullName, "data", fileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException($"examples/data/{fileName} not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}.");
    }

    /// <summary>The data rows of a CSV file with a header line, split on commas (the files here have no quoted fields).</summary>
    public static IEnumerable<string[]> Rows(string fileName) =>
        File.ReadLines(Path(fileName)).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(','));
}
