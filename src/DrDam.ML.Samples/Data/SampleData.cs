namespace DrDam.ML.Samples.Data;

/// <summary>Locates the repository's embedded data/ folder from wherever the CLI runs.</summary>
public static class SampleData
{
    /// <summary>The embedded Fashion-MNIST subset (1000 test images).</summary>
    public static string FashionMnistImages => Find("fashion-mnist-t10k-1k-images-idx3-ubyte.gz");

    /// <summary>Their labels.</summary>
    public static string FashionMnistLabels => Find("fashion-mnist-t10k-1k-labels-idx1-ubyte.gz");

    /// <summary>
    /// The path of shared/data/<paramref name="relativePath"/> in a folder above the program or the working
    /// folder (the full data sets, kept beside the repository), or null when there is none.
    /// </summary>
    public static string? FindShared(string relativePath)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", relativePath);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>The path of data/<paramref name="name"/>.</summary>
    public static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", name);
            if (File.Exists(candidate))
                return candidate;
        }
        var local = Path.Combine(Directory.GetCurrentDirectory(), "data", name);
        return File.Exists(local) ? local : throw new FileNotFoundException($"Embedded data file data/{name} not found above {AppContext.BaseDirectory}.");
    }
}
