using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Orleans.Grains;
using DrDam.ML.Orleans.Hosting;
using DrDam.ML.Samples.ScaleOut;
using DrDam.ML.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DrDam.ML.Orleans.Tests;

/// <summary>
/// A real cluster: silo processes joined through a private redis-server, membership and memory state in Redis.
/// A silo is killed (SIGKILL) in the middle of a fit, then Redis itself is restarted and the memory is read back
/// by a fresh silo.
/// </summary>
public sealed class ClusterProcessTests
{
    private const int D = 24, Rows = 2400, Partitions = 24;
    private static readonly DistributedMemoryOptions Options = new() { Beta = 6, FeatureCount = 2048, Seed = 17 };
    private static readonly float[] Data = Oracle.Uniform(new Random(11), Rows * D, 0, 1);

    private static PartitionRows[] Parts() => [.. Enumerable.Range(0, Partitions).Select(p =>
    {
        var (from, to) = (p * Rows / Partitions, (p + 1) * Rows / Partitions);
        return new PartitionRows(p, Data[(from * D)..(to * D)], to - from);
    })];

    [Fact]
    public async Task AFitSurvivesAKilledSiloAndTheMemorySurvivesARedisRestart()
    {
        using var redis = LocalRedis.Start();
        var cluster = new ScaleOutOptions
        {
            Redis = redis.ConnectionString, ServiceId = "test-" + Guid.NewGuid().ToString("N")[..8], ClusterId = "processes", ResponseTimeout = TimeSpan.FromSeconds(5),
        };
        var silos = new List<SiloProcess>();
        try
        {
            silos.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => SiloProcess.Start(cluster)))));
            double[] calm, faulty;
            using (var client = await ClusterConnection.OpenAsync(cluster))
            {
                var grains = client.Services.GetRequiredService<IClusterClient>();
                calm = (await ShardedFit.FitAsync(grains, "calm", D, Options, Parts())).Memory.ToArray();

                // SIGKILL a silo once a third of the partitions are in: the rest are sent while it is dead and undeclared.
                var done = 0;
                var victim = silos[^1];
                var progress = new Progress(_ =>
                {
                    if (Interlocked.Increment(ref done) == Partitions / 3)
                        victim.Kill();
                });
                var survived = await ShardedFit.FitAsync(grains, "faulty", D, Options, Parts(), progress);
                Assert.True(victim.HasExited);
                Assert.Equal(Rows, survived.Count);
                faulty = survived.Memory.ToArray();
                // Parts are keyed by partition and summed in partition order: a retried partition replaces its part.
                Assert.Equal(calm, faulty);
                var snapshot = await grains.GetGrain<IMemoryGrain>("faulty").GetAsync();
                Assert.Equal(Enumerable.Range(0, Partitions), snapshot.Partitions);

                // Serving after the death: the surviving silos answer, exactly as a local memory would.
                var queries = Data[..(6 * D)];
                var served = await (await ServedMemory.OpenAsync(grains, "faulty", lanes: 2)).RetrieveAsync(queries, 6, new RetrievalOptions { MaxSteps = 20 });
                Assert.Equal(survived.Retrieve(queries, 6, new RetrievalOptions { MaxSteps = 20 }).States, served.States);
                await client.StopAsync();
            }

            var single = new DistributedMemory(D, Options);
            single.AddRange(Data, Rows);
            var expected = single.Memory.ToArray();
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - calm[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"T[{i}]: {calm[i]} vs {expected[i]}");

            // Redis restarts (its append-only file kept), every silo goes, and a fresh one reads the memory back.
            redis.Restart();
            Parallel.ForEach(silos, silo => silo.Dispose());
            silos.Clear();
            silos.Add(SiloProcess.Start(cluster));
            using (var client = await ClusterConnection.OpenAsync(cluster))
            {
                var recovered = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IMemoryGrain>("faulty").GetAsync();
                Assert.Equal(Rows, recovered.Count);
                Assert.Equal(faulty, recovered.Memory);
                Assert.Equal(DistributedMemorySettings.From(D, Options), recovered.Settings);
                await client.StopAsync();
            }
        }
        finally
        {
            Parallel.ForEach(silos, silo => silo.Dispose());
        }
    }

    /// <summary>A silo that cannot reach Redis exits; the error says so, with its exit code and its own message.</summary>
    [Fact]
    public void ASiloThatDiesAtStartReportsItsExitCodeAndError()
    {
        var cluster = new ScaleOutOptions { Redis = "127.0.0.1:1", ServiceId = "unreachable", ClusterId = "processes" };
        var error = Assert.Throws<InvalidOperationException>(() => SiloProcess.Start(cluster));
        Assert.Contains("exited with code 1 before it was up", error.Message);
        Assert.Contains("RedisConnectionException", error.Message);
    }

    private sealed class Progress(Action<PartitionSum> report) : IProgress<PartitionSum>
    {
        public void Report(PartitionSum value) => report(value);
    }
}
