using System.Diagnostics;
using DrDam.ML.Native;

namespace DrDam.ML.Tests.Native;

public sealed class TorchSharpNativeTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("drdam-native-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    // tests/DrDam.ML.NativeHost, copied beside the tests by its project reference.
    private static string Host() => Path.Combine(AppContext.BaseDirectory, "DrDam.ML.NativeHost.dll");

    private Process Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Host());
        start.Environment[TorchSharpNative.CacheVariable] = cache;
        return Process.Start(start)!;
    }

    private static string Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the native host hung");
        Assert.True(process.ExitCode == 0, $"native host failed ({process.ExitCode}): {error}");
        return output.Trim();
    }

    /// <summary>
    /// Two clean processes start at once on an empty cache: both compute torch.ones(2) + 1, they leave
    /// one patched copy and no temporary file, and a third process reuses that copy untouched.
    /// </summary>
    [Fact]
    public void CleanProcessesComputeWithTorchSharpAndShareOnePatchedCopy()
    {
        var first = Start();
        var second = Start();
        var outputs = new[] { Finish(first), Finish(second) };
        foreach (var output in outputs)
        {
            Assert.EndsWith(" 2,2", output);
            Assert.True(output.StartsWith("Patched", StringComparison.Ordinal) || output.StartsWith("LoadsAsShipped", StringComparison.Ordinal), output);
        }
        if (!outputs[0].StartsWith("Patched", StringComparison.Ordinal))
            return; // a system whose libstdc++ has GLIBCXX_3.4.32: nothing to cache
        var files = Directory.GetFiles(cache, "*", SearchOption.AllDirectories);
        var copy = Assert.Single(files);
        Assert.Equal(TorchSharpNative.LibraryFile, Path.GetFileName(copy));
        var written = File.GetLastWriteTimeUtc(copy);
        Assert.Equal("Patched 2,2", Finish(Start()));
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void ALibraryThatLoadsIsLeftAlone()
    {
        // The patched copy, placed beside the shipped one (so its $ORIGIN finds libtorch), loads as is.
        var shipped = Path.Combine(Path.GetDirectoryName(Host())!, "runtimes", "linux-x64", "native", TorchSharpNative.LibraryFile);
        var bytes = File.ReadAllBytes(shipped);
        ElfVersionRequirements.MarkWeak(bytes, TorchSharpNative.MissingVersion);
        var loadable = Path.Combine(Path.GetDirectoryName(shipped)!, $"libLibTorchSharp.test-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(loadable, bytes);
        try
        {
            Assert.False(TorchSharpNative.NeedsPatch(loadable));
        }
        finally
        {
            File.Delete(loadable);
        }
    }

    [SkippableFact]
    public void TheShippedLibraryNeedsThePatchOnlyWhereLibstdcxxIsOld()
    {
        var shipped = Path.Combine(Path.GetDirectoryName(Host())!, "runtimes", "linux-x64", "native", TorchSharpNative.LibraryFile);
        var libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        Skip.If(libstdcxx is null, "no libstdc++.so.6 at the usual paths");
        var hasVersion = File.ReadAllText(libstdcxx!, System.Text.Encoding.Latin1).Contains(TorchSharpNative.MissingVersion, StringComparison.Ordinal);
        Assert.Equal(!hasVersion, TorchSharpNative.NeedsPatch(shipped));
    }
}
