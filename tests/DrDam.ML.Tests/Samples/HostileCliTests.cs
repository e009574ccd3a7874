using System.IO.Compression;
using System.Text.Json;

namespace DrDam.ML.Tests.Samples;

/// <summary>
/// Hostile input to the CLI: every case ends with exit code 1 and one line on standard error that names the
/// cause and the file or option, before any long work (these all fail within seconds).
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class HostileCliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-hostile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private void FailsWithOneLine(string expected, params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(args);
        Assert.Equal(1, code);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    [Fact]
    public void ACsvWithAHeaderAndNoRowsIsRefused()
        => FailsWithOneLine("has a header but no data rows", "cluster", "--data", File("empty.csv", "a,b,label\n"), "--label-column", "label", "--json", "--out", folder);

    [Fact]
    public void IdenticalRowsCannotFormTheClustersAskedFor()
        => FailsWithOneLine("has only 1 distinct rows, fewer than the 3 clusters", "cluster",
            "--data", File("same.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"1,2,{i % 3}\n"))), "--label-column", "label", "--json", "--out", folder);

    [Fact]
    public void ACsvWithOnlyTheLabelColumnIsRefused()
        => FailsWithOneLine("has no feature column, only the label column 'label'", "cluster", "--data", File("labels.csv", "label\nx\ny\n"), "--label-column", "label", "--json", "--out", folder);

    [Fact]
    public void AFolderGivenAsDataIsNamedAsAFolder()
        => FailsWithOneLine($"'{folder}' is a folder; give a CSV file", "cluster", "--data", folder, "--json");

    [Fact]
    public void AGzipThatIsNotOneIsNamed()
        => FailsWithOneLine("fake.csv.gz' is not a valid gzip file", "cluster", "--data", File("fake.csv.gz", "plain text"), "--json");

    [Theory]
    [InlineData("--dataset iris --rows 50", "--rows applies to --dataset fashion-mnist only (got --dataset iris).")]
    [InlineData("--dataset fashion-mnist --rows 0", "--rows must be a positive integer (got 0).")]
    public void ClusterRowsOutsideFashionMnistAreRefused(string arguments, string expected)
        => FailsWithOneLine(expected, ["cluster", .. arguments.Split(' '), "--json"]);

    [Theory]
    [InlineData("--neighbour-weight 1", "--neighbour-weight applies to --deep only.")]
    [InlineData("--deep --neighbour-weight -1", "NeighbourWeight must be a finite number >= 0 (got -1).")]
    public void ClusterNeighbourWeightIsCheckedAndNeedsDeep(string arguments, string expected)
        => FailsWithOneLine(expected, ["cluster", .. arguments.Split(' '), "--json"]);

    [Theory]
    [InlineData("--silos 0", "--silos must be a positive integer (got 0).")]
    [InlineData("--partitions -3", "--partitions must be a positive integer (got -3).")]
    [InlineData("--silos 1 --kill-one", "--kill-one needs at least 2 silos, so that one is left to finish the fit (got --silos 1).")]
    public void AScaleOutThatCannotRunIsRefusedBeforeAnyProcessStarts(string arguments, string expected)
        => FailsWithOneLine(expected, ["scale-out", .. arguments.Split(' '), "--json"]);

    [Theory]
    [InlineData("2000000000", "--features", "needs 4,000,000,000 values, more than one array holds")]
    [InlineData("2147483647", "--features", "needs 4,294,967,294 values, more than one array holds")]
    public void FeatureCountsThatCannotFitAreRefusedWithTheNumbers(string value, string option, string expected)
        => FailsWithOneLine(expected, "inpaint", "--count", "2", option, value, "--json", "--out", folder);

    [Theory]
    [InlineData("box:2147483647,0,1,1", "--occlude box:2147483647,0,1,1 does not fit in a 28×28 image")]
    [InlineData("bottom:0", "--occlude bottom:0 hides no pixel")]
    [InlineData("random:0", "--occlude random:0 hides no pixel")]
    [InlineData("box:3,3,0,5", "--occlude box:3,3,0,5 hides no pixel")]
    [InlineData("bottom:0.01", "--occlude bottom:0.01 hides no pixel of a 28×28 image")]
    public void OcclusionsThatHideNothingOrOverflowAreRefused(string occlusion, string expected)
        => FailsWithOneLine(expected, "inpaint", "--count", "2", "--occlude", occlusion, "--json", "--out", folder);

    [Fact]
    public void AnOverflowingBetaNamesTheOptionAndTheLimit()
        => FailsWithOneLine("--beta: Beta must be at most 1E+30 (got 1E+300)", "inpaint", "--count", "2", "--beta", "1e300", "--json", "--out", folder);

    [Fact]
    public void ATruncatedImageIsRefusedNotStoredHalfBlack()
    {
        var images = Directory.CreateDirectory(Path.Combine(folder, "images")).FullName;
        var paths = ImageFiles.WriteStripes(images, 2, 32);
        var bytes = System.IO.File.ReadAllBytes(paths[1]);
        System.IO.File.WriteAllBytes(paths[1], bytes[..(bytes.Length * 2 / 3)]);
        FailsWithOneLine("image01.png' is damaged or truncated", "inpaint", "--images", images, "--json", "--out", folder);
    }

    [Fact]
    public void AFileThatIsNotAnImageIsNamed()
    {
        var images = Directory.CreateDirectory(Path.Combine(folder, "images")).FullName;
        System.IO.File.WriteAllText(Path.Combine(images, "x.png"), "hello");
        FailsWithOneLine("x.png' is not an image file that can be decoded", "inpaint", "--images", images, "--json", "--out", folder);
    }

    [Fact]
    public void ImagesTooLargeForABatchAreRefusedWithTheSizeOption()
    {
        var images = Directory.CreateDirectory(Path.Combine(folder, "huge")).FullName;
        using (var bitmap = new SkiaSharp.SKBitmap(8000, 8000))
        using (var file = System.IO.File.Create(Path.Combine(images, "big.png")))
            bitmap.Encode(file, SkiaSharp.SKEncodedImageFormat.Png, 0);
        FailsWithOneLine("--size for images of 8000×8000×3 = 192,000,000 values", "inpaint", "--images", images, "--json", "--out", folder);
    }

    [Fact]
    public void AnUnwritableOutputIsRefusedBeforeAnyWork()
    {
        var blocker = File("a-file", "x");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        FailsWithOneLine($"--out: cannot write to '{blocker}'", "inpaint", "--out", blocker, "--json");
        FailsWithOneLine($"--out: cannot write to '{blocker}'", "cluster", "--out", blocker, "--json");
        FailsWithOneLine($"--out: cannot write to '{blocker}'", "approx", "energy-gradient", "--out", blocker, "--json");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the output was checked only after {clock.Elapsed}");
    }

    [Theory]
    [InlineData("Cannot parse argument 'abc' for option '--count' as expected type integer", "inpaint", "--count", "abc")]
    [InlineData("Required argument missing for option: '--count'", "inpaint", "--count")]
    [InlineData("Unrecognized command or argument '--frobnicate'", "inpaint", "--frobnicate")]
    [InlineData("Argument 'xx' not recognized. Must be one of", "inpaint", "--representation", "xx")]
    [InlineData("Cannot parse argument 'x' for option '--steps'", "inpaint", "--count", "y", "--steps", "x")]
    [InlineData("Unrecognized command or argument 'nope'", "nope")]
    public void OptionErrorsAreOneLine(string expected, params string[] args) => FailsWithOneLine(expected, args);

    [Fact]
    public void ClusterOnManyRowsSamplesTheSilhouetteAndReportsProgressUnderJson()
    {
        var random = new Random(1);
        var rows = string.Concat(Enumerable.Range(0, 6000).Select(i => $"{random.NextDouble() + i % 3 * 4:F4},{random.NextDouble():F4},{i % 3}\n"));
        var (code, stdout, stderr) = CliRunner.Run("cluster", "--data", File("many.csv", "a,b,label\n" + rows), "--label-column", "label",
            "--epochs", "2", "--json", "--out", folder);
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(6000, root.GetProperty("rows").GetInt32());
        Assert.Equal(5000, root.GetProperty("silhouette_rows").GetInt32());
        Assert.InRange(root.GetProperty("clam_silhouette").GetDouble(), -1, 1);
        Assert.True(root.GetProperty("kmeans_nmi").GetDouble() > 0.4, stdout);
        Assert.Contains("epoch 2/2", stderr);
        Assert.Contains("ClAM training on 6000 rows", stderr);
    }
}
