namespace DrDam.ML.Tests;

/// <summary>Data files the tests read: the repository's data/ folder (embedded, so a bare clone suffices).</summary>
internal static class TestData
{
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
