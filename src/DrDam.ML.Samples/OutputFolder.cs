namespace DrDam.ML.Samples;

/// <summary>An output folder checked before any work starts: created, and proven writable with a probe file.</summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> if needed and checks that files can be written there; errors name <paramref name="option"/>.</summary>
    public static string Prepare(string path, string option)
    {
        try
        {
            if (File.Exists(path))
                throw new IOException("it is a file, not a folder");
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".drdam-write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"{option}: cannot write to '{path}' ({e.Message.TrimEnd('.')}).", e);
        }
    }
}
