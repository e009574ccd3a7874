using System.Diagnostics;
using System.Text.Json;

namespace DrDam.ML.Orleans.Tests;

/// <summary>The <c>scale-out</c> command end to end, in its own process: silo processes, Redis, a silo killed mid-fit.</summary>
public sealed class ScaleOutCommandTests
{
    [Fact]
    public async Task ASmallScaleOutWithAKilledSiloReportsNoLostOrDuplicateRows()
    {
        // Its own working directory: once, in a full clean-clone run, the inherited one was gone by the time the command
        // started redis-server, and resolving the executable's path failed ("Unable to find the specified file").
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in new[] { typeof(Samples.Cli).Assembly.Location, "scale-out", "--silos", "2", "--rows", "600", "--partitions", "8", "--features", "512", "--queries", "4", "--kill-one", "--json" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"scale-out failed ({process.ExitCode}): {await errors}");
        var report = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(2, report.GetProperty("silos").GetInt32());
        Assert.Equal(600, report.GetProperty("rows").GetInt32());
        Assert.Equal(JsonValueKind.Number, report.GetProperty("killed_silo").ValueKind);
        Assert.Equal(0, report.GetProperty("lost_rows").GetInt64());
        Assert.Equal(0, report.GetProperty("duplicate_rows").GetInt64());
        Assert.True(report.GetProperty("t_max_rel_diff_vs_single").GetDouble() <= 1e-12);
        // 2Y = 1024 doubles of T and a little framing travel per partition.
        Assert.Equal(1024, report.GetProperty("t_values_per_partition").GetInt32());
        Assert.InRange(report.GetProperty("bytes_sent_per_partition").GetInt32(), 1024 * 8, 1024 * 8 + 512);
        Assert.Equal(report.GetProperty("mse_single").GetDouble(), report.GetProperty("mse_cluster").GetDouble(), 6);
        foreach (var key in new[] { "partitions", "fit_seconds", "rows_per_second" })
            Assert.True(report.GetProperty(key).GetDouble() > 0, key);
    }
}
