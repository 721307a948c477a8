namespace TextClassification;

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
}
