namespace DrDam.ML.Tests;

/// <summary>The project's shared data folder (../shared/data beside the repository).</summary>
internal static class SharedData
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine([dir.FullName, "shared", "data", .. parts]);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"shared/data/{string.Join('/', parts)} was not found above {AppContext.BaseDirectory}; the tests expect ../shared/data beside the repository.");
    }
}
