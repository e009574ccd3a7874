using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace DrDam.ML.Tests.Packaging;

/// <summary>
/// Packs the four libraries into a temporary feed, then builds a consumer project outside the solution whose
/// only package source is that feed (everything else comes from the machine's package cache, offline). The
/// consumer fits and saves a Store pipeline and a ClAM model, and a second process loads both: outputs are
/// identical. This is the persistence route (publicized references + IgnoresAccessChecksTo) as package users get it.
/// </summary>
[Collection("ConsoleCollection")]
public sealed class PackageConsumerTests : IDisposable
{
    private static readonly string[] Libraries = ["DrDam.ML.Core", "DrDam.ML", "DrDam.ML.TorchSharp", "DrDam.ML.Ilgpu", "DrDam.ML.Orleans"];
    private readonly string root = Path.Combine(Path.GetTempPath(), "drdam-pack-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void PackedLibrariesCarryTheirMetadataAndAConsumerRoundTripsModelsThroughThem()
    {
        var feed = Path.Combine(root, "feed");
        var repository = TestData.RepositoryRoot();
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        Run("dotnet", $"pack \"{Path.Combine(repository, "DrDam.sln")}\" -c {configuration} --no-build -o \"{feed}\"", repository);
        var version = XDocument.Load(Path.Combine(repository, "Directory.Build.props")).Descendants("Version").Single().Value;
        foreach (var library in Libraries)
            CheckPackage(feed, library, version);
        Assert.Equal(Libraries.Length * 2, Directory.GetFiles(feed).Length);

        var consumer = Path.Combine(root, "consumer");
        Directory.CreateDirectory(consumer);
        var sources = Path.Combine(repository, "tests", "DrDam.ML.Tests", "Packaging", "Consumer");
        File.Copy(Path.Combine(sources, "Program.cs"), Path.Combine(consumer, "Program.cs"));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), File.ReadAllText(Path.Combine(sources, "Consumer.csproj.template")).Replace("$(DrDamVersion)", version));
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" /></config>
              <packageSources><clear /><add key="drdam" value="{feed}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="machine" value="{cache}" /></fallbackPackageFolders>
            </configuration>
            """);
        Run("dotnet", "build -c Release -o bin", consumer);
        var dll = Path.Combine(consumer, "bin", "Consumer.dll");
        var data = TestData.Path("iris.csv");
        Run("dotnet", $"\"{dll}\" fit \"{data}\" \"{consumer}\"", consumer);
        Run("dotnet", $"\"{dll}\" load \"{data}\" \"{consumer}\"", consumer);
        var fitted = File.ReadAllLines(Path.Combine(consumer, "fit.txt"));
        Assert.Equal(2 * 150, fitted.Length);
        Assert.Equal(fitted, File.ReadAllLines(Path.Combine(consumer, "load.txt")));
        // The DrDam packages came from the feed, not from anywhere else.
        foreach (var library in Libraries[..3])
            Assert.True(Directory.Exists(Path.Combine(root, "packages", library.ToLowerInvariant(), version)), $"{library} was not restored from the feed");
    }

    private static void CheckPackage(string feed, string library, string version)
    {
        var path = Path.Combine(feed, $"{library}.{version}.nupkg");
        Assert.True(File.Exists(Path.Combine(feed, $"{library}.{version}.snupkg")), $"{library} has no symbol package");
        using var package = ZipFile.OpenRead(path);
        var names = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", names);
        Assert.Contains("LICENSE", names);
        Assert.Contains($"lib/net10.0/{library}.dll", names);
        Assert.Contains($"lib/net10.0/{library}.xml", names);
        using var reader = new StreamReader(package.GetEntry($"{library}.nuspec")!.Open());
        var nuspec = XDocument.Parse(reader.ReadToEnd());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
        Assert.Contains("associative-memory", metadata.Element(ns + "tags")?.Value);
        Assert.NotNull(metadata.Element(ns + "repository")?.Attribute("url"));
        // Declared dependencies are what the library uses, not the solution's transitive pins.
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => (string)d.Attribute("id")!).ToArray();
        Assert.DoesNotContain("SharpZipLib", dependencies);
        Assert.DoesNotContain("SkiaSharp", dependencies);
    }

    private static void Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in 5 minutes.");
        }
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
    }
}
