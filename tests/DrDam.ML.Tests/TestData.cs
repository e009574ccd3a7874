namespace DrDam.ML.Tests;

/// <summary>Data files the tests read: the repository's data/ folder (embedded, so a bare clone suffices).</summary>
internal static class TestData
{
    /// <summary>The checkout's root: the folder above the test binaries that holds DrDam.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DrDam.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"DrDam.sln was not found above {AppContext.BaseDirectory}.");
    }

    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "data", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"data/{name} was not found above {AppContext.BaseDirectory}.");
    }
}
