using System.Text.Json;
using DrDam.ML.Samples;
using SkiaSharp;

namespace DrDam.ML.Tests.Samples;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>Runs the CLI in-process with the console captured.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (Cli.Run(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}

/// <summary>The CLI run in-process (it writes to the console, so these tests run alone).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int Code, string Out, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("inpaint", "--occlude", "bottom:0.5")]
    [InlineData("denoise", "--noise", "gaussian:0.3")]
    public void JsonRunReportsTheMeasuresAndWritesDecodablePngs(string command, string option, string corruption)
    {
        var (code, stdout, stderr) = Run(command, "--json", "--count", "6", "--features", "4000", "--steps", "60", "--beta", "60", option, corruption, "--out", folder);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal(command, root.GetProperty("command").GetString());
        Assert.Equal(6, root.GetProperty("images").GetInt32());
        Assert.Equal(784, root.GetProperty("dimension").GetInt32());
        Assert.Equal(6, root.GetProperty("stored").GetInt32());
        Assert.Equal("both", root.GetProperty("representation").GetString());
        Assert.Equal(60, root.GetProperty("beta").GetDouble());
        Assert.Equal(4000, root.GetProperty("features").GetInt32());
        foreach (var key in new[] { "mse_corrupted", "mse_mrdam", "mse_drdam", "mse_drdam_vs_mrdam", "mean_steps", "seconds", "peak_memory_mb" })
            Assert.True(root.GetProperty(key).GetDouble() >= 0, key);
        // Quality, not just shape: both memories undo much of the corruption (measured: MrDAM removes 83–98% of it,
        // DrDAM with Y = 4000 44–50%; at β = 20 both made a denoised image worse than the noisy one).
        var corrupted = root.GetProperty("mse_corrupted").GetDouble();
        Assert.True(root.GetProperty("mse_mrdam").GetDouble() < corrupted / 3, stdout);
        Assert.True(root.GetProperty("mse_drdam").GetDouble() < corrupted / 1.5, stdout);
        var outputs = root.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(2, outputs.Length);
        foreach (var png in outputs)
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width > 100 && bitmap.Height > 100);
        }
    }

    /// <summary>
    /// `--roofline` measures the read bandwidth and sets DrDAM's retrieval against its floor: reads of Ω × 2 bytes per
    /// bfloat16 value ÷ bandwidth, with one read per step of the batch's slowest row plus the last evaluation; and the
    /// descent after the first step against the floor of its reads.
    /// </summary>
    [Fact]
    public void RooflineReportsTheFloorOfTheReadsOfOmega()
    {
        var (code, stdout, stderr) = Run("inpaint", "--json", "--roofline", "--omega", "bfloat16", "--count", "3", "--features", "2000", "--steps", "15",
            "--tolerance", "0", "--out", folder);
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(16, root.GetProperty("drdam_omega_reads").GetInt32()); // 15 steps and the last evaluation
        var bandwidth = root.GetProperty("memory_read_gbs").GetDouble();
        Assert.True(bandwidth > 0.5, $"read bandwidth {bandwidth} GB/s");
        var floor = root.GetProperty("drdam_bandwidth_floor_seconds").GetDouble();
        Assert.Equal(16.0 * 2000 * 784 * 2 / (bandwidth * 1e9), floor, 2e-4 + 0.01 * floor);
        var seconds = root.GetProperty("retrieval_seconds").GetProperty("DrDAM").GetDouble();
        Assert.Equal(seconds, root.GetProperty("drdam_floor_ratio").GetDouble() * floor, 0.01 + 0.02 * seconds);
        // The descent alone: the 15 reads after the first step, which built the evaluator.
        var first = root.GetProperty("first_step_seconds").GetProperty("DrDAM").GetDouble();
        Assert.InRange(first, 0, seconds);
        Assert.Equal(seconds - first, root.GetProperty("drdam_descent_floor_ratio").GetDouble() * floor * 15 / 16, 0.01 + 0.02 * seconds);
    }

    /// <summary>`--backend torch` runs the same descent through libtorch: the same restorations to float rounding.</summary>
    [Fact]
    public void TheTorchBackendRestoresWhatTheManagedOneRestores()
    {
        double[] Mses(string backend)
        {
            var (code, stdout, stderr) = Run("inpaint", "--json", "--count", "3", "--size", "16x16", "--features", "3000", "--steps", "30",
                "--backend", backend, "--device", "cpu", "--out", Path.Combine(folder, backend));
            Assert.True(code == 0, stderr);
            var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.Equal(backend, root.GetProperty("backend").GetString());
            return [root.GetProperty("mse_mrdam").GetDouble(), root.GetProperty("mse_drdam").GetDouble()];
        }
        var (managed, torch) = (Mses("managed"), Mses("torch"));
        for (var i = 0; i < 2; i++)
            Assert.Equal(managed[i], torch[i], 1e-4 * managed[i]);
    }

    [SkippableFact]
    public void ACudaBackendWhereNoneExistsNamesTheOption()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "a CUDA device exists here");
        var (code, _, stderr) = Run("inpaint", "--backend", "torch", "--device", "cuda", "--json", "--out", folder);
        Assert.Equal(1, code);
        Assert.StartsWith("error: --device cuda: device = Cuda, but TorchSharp finds no CUDA device", stderr);
    }

    [Fact]
    public void FieldsThatDoNotApplyAreNull()
    {
        var (code, stdout, stderr) = Run("inpaint", "--json", "--count", "3", "--steps", "20", "--representation", "mr", "--out", folder);
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("mse_drdam").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("features").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("mse_drdam_vs_mrdam").ValueKind);
    }

    [Fact]
    public void ACorruptFileInTheFolderIsNamed()
    {
        var images = Directory.CreateDirectory(Path.Combine(folder, "images")).FullName;
        ImageFiles.WriteStripes(images, 2, 16);
        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image");
        var (code, _, stderr) = Run("inpaint", "--images", images, "--json", "--out", folder);
        Assert.Equal(1, code);
        Assert.StartsWith("error: --images: '", stderr);
        Assert.Contains("notes.txt' is not an image file that can be decoded", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("inpaint", "--images", "/no/such/folder", "folder '/no/such/folder' does not exist")]
    [InlineData("inpaint", "--occlude", "middle:0.3", "--occlude must be bottom:F, random:F or box:x,y,w,h (got 'middle:0.3')")]
    [InlineData("inpaint", "--occlude", "box:20,20,10,10", "--occlude box:20,20,10,10 does not fit in a 28×28 image")]
    [InlineData("denoise", "--noise", "flip:2", "--noise: the fraction must lie in [0, 1] (got 2)")]
    [InlineData("inpaint", "--size", "64", "--size must be WxH with positive integers")]
    [InlineData("inpaint", "--count", "0", "--count must be >= 1 (got 0)")]
    [InlineData("inpaint", "--device", "cuda", "--device cuda needs --backend torch or ilgpu: the managed backend runs on the CPU.")]
    public void BadInputGivesOneLineAndExitCodeOne(string command, string option, string value, string message)
    {
        var (code, _, stderr) = Run(command, option, value, "--json", "--out", folder);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void UnknownOptionValueIsRejected()
    {
        var (code, _, stderr) = Run("inpaint", "--representation", "xx", "--json");
        Assert.NotEqual(0, code);
        Assert.Contains("xx", stderr);
    }
}

[Collection(nameof(ConsoleCollection))]
public sealed class ClusterCliTests
{
    [Fact]
    public void ClusterReportsBothMethodsOnIris()
    {
        var folder = Directory.CreateTempSubdirectory("drdam-cluster-").FullName;
        var (code, stdout, stderr) = CliRunner.Run("cluster", "--dataset", "iris", "--epochs", "5", "--json", "--out", folder);
        Assert.True(code == 0, stderr);
        var root = System.Text.Json.JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(150, root.GetProperty("rows").GetInt32());
        Assert.Equal(4, root.GetProperty("features").GetInt32());
        Assert.Equal(3, root.GetProperty("k").GetInt32());
        foreach (var key in new[] { "clam_nmi", "kmeans_nmi", "clam_ari", "kmeans_ari", "clam_silhouette", "kmeans_silhouette" })
            Assert.InRange(root.GetProperty(key).GetDouble(), -1, 1);
        Assert.True(root.GetProperty("kmeans_nmi").GetDouble() > 0.5);
        Assert.True(root.GetProperty("clam_nmi").GetDouble() > 0.6, stdout);
        Assert.True(root.GetProperty("clam_silhouette").GetDouble() > 0.4, stdout);
        Assert.True(root.GetProperty("clam_seconds").GetDouble() >= 0);
        var png = root.GetProperty("outputs")[0].GetString()!;
        using (var bitmap = SKBitmap.Decode(png))
            Assert.Equal(640, bitmap.Width);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("--k", "500", "--k must lie in [2, rows = 150] (got 500)")]
    [InlineData("--data", "/no/such.csv", "--data: file '/no/such.csv' does not exist")]
    public void BadClusterInputGivesOneLine(string option, string value, string message)
    {
        var (code, _, stderr) = CliRunner.Run("cluster", option, value, "--json");
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
    }
}

[Collection(nameof(ConsoleCollection))]
public sealed class ApproxCliTests
{
    [Fact]
    public void BoundStudyPrintsEveryRowAsJsonAndWritesItsPlots()
    {
        var folder = Directory.CreateTempSubdirectory("drdam-approx-").FullName;
        var (code, stdout, stderr) = CliRunner.Run("approx", "bound", "--quick", "--json", "--out", folder);
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("bound", root.GetProperty("study").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 * 2 * 4 * 2, rows.Count);
        foreach (var row in rows)
        {
            foreach (var key in new[] { "beta", "dimension", "stored", "features", "query", "bound", "observed" })
                Assert.True(row.TryGetProperty(key, out _), key);
            Assert.False(row.TryGetProperty("hamming", out _));
            Assert.True(row.GetProperty("bound").GetDouble() >= row.GetProperty("observed").GetDouble());
        }
        foreach (var png in root.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!))
            using (var bitmap = SKBitmap.Decode(png))
                Assert.Equal(1200, bitmap.Width);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void UnknownStudyIsRejected()
    {
        var (code, _, stderr) = CliRunner.Run("approx", "figure9", "--json");
        Assert.NotEqual(0, code);
        Assert.Contains("figure9", stderr);
    }
}

[Collection(nameof(ConsoleCollection))]
public sealed class BenchCliTests
{
    [Fact]
    public void QuickBenchReportsEveryMeasureAsJson()
    {
        var (code, stdout, stderr) = CliRunner.Run("bench", "--quick", "--device", "cpu", "--json");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("cpu").GetString()));
        Assert.Contains(root.GetProperty("vector_bits").GetInt32(), new[] { 128, 256, 512 });
        foreach (var key in new[] { "gemm_gflops", "mrdam_ratio", "drdam_ratio", "drdam_on_demand_ratio", "naive_torch_mrdam_gflops", "speedup_vs_naive_torch",
            "gaussian_draw_gvalues", "drdam_on_demand_bound_fraction", "drdam_skinny_on_demand_bound_fraction" })
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        Assert.Equal(["managed", "torch"], root.GetProperty("mrdam_step_gflops").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["managed_cached", "torch_cached", "managed_on_demand"], root.GetProperty("drdam_step_gflops").EnumerateObject().Select(p => p.Name));
        var perPattern = root.GetProperty("drdam_fit_bytes_per_pattern");
        Assert.True(perPattern.GetProperty("100000").GetDouble() < perPattern.GetProperty("10000").GetDouble() / 5, "on-demand fit bytes are not flat in K");
    }
}
