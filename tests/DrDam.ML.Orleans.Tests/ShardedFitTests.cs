using DrDam.ML.Memory;
using DrDam.ML.Orleans;
using DrDam.ML.Tests;
using DrDam.ML.Orleans.Grains;
using DrDam.ML.Transforms;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace DrDam.ML.Orleans.Tests;

/// <summary>Two in-process silos with memory grain storage, shared by the sharded-fit tests.</summary>
public sealed class TwoSilos : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(ShardedFit.GrainStorage));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    // Stop the client and the silos before disposing: their timers would otherwise keep allocating in this process.
    public async Task DisposeAsync()
    {
        await Cluster.StopClusterClientAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>
/// A DrDAM fit sharded over grains: each partition's T is built on some silo from the shared seed and the memory grain
/// sums the parts in partition order, so the result does not depend on arrival order and a retried partition replaces
/// its part instead of counting twice.
/// </summary>
public sealed class ShardedFitTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    private const int D = 16, Rows = 400;
    private static readonly DistributedMemoryOptions Options = new() { Beta = 8, FeatureCount = 512, Seed = 21, ProjectionBlockSize = 128 };
    private static readonly float[] Data = Oracle.Uniform(new Random(5), Rows * D, 0, 0.25);

    private static PartitionRows[] Partitions(int count) => [.. Enumerable.Range(0, count).Select(p =>
    {
        var (from, to) = (p * Rows / count, (p + 1) * Rows / count);
        return new PartitionRows(p, Data[(from * D)..(to * D)], to - from);
    })];

    [Fact]
    public async Task AShardedFitEqualsASingleMachineFit()
    {
        var sharded = await ShardedFit.FitAsync(silos.Cluster.Client, "memory-single", D, Options, Partitions(4));
        var single = new DistributedMemory(D, Options);
        single.AddRange(Data, Rows);
        Assert.Equal(Rows, sharded.Count);
        var (expected, actual) = (single.Memory.ToArray(), sharded.Memory.ToArray());
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"T[{i}]: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public async Task TheSumDoesNotDependOnTheOrderOfArrival()
    {
        var settings = DistributedMemorySettings.From(D, Options);
        var fit = silos.Cluster.Client.GetGrain<IPartitionFitGrain>(0);
        var parts = await Task.WhenAll(Partitions(5).Select(p => fit.FitAsync(settings, p)));
        var forward = silos.Cluster.Client.GetGrain<IMemoryGrain>("memory-forward");
        var backward = silos.Cluster.Client.GetGrain<IMemoryGrain>("memory-backward");
        foreach (var part in parts)
            await forward.SubmitAsync(settings, part);
        foreach (var part in parts.Reverse())
            await backward.SubmitAsync(settings, part);
        Assert.Equal((await forward.GetAsync()).Memory, (await backward.GetAsync()).Memory);
    }

    [Fact]
    public async Task AResubmittedPartitionReplacesItsPartAndIsNotCountedTwice()
    {
        var settings = DistributedMemorySettings.From(D, Options);
        var fit = silos.Cluster.Client.GetGrain<IPartitionFitGrain>(0);
        var memory = silos.Cluster.Client.GetGrain<IMemoryGrain>("memory-retry");
        var parts = await Task.WhenAll(Partitions(3).Select(p => fit.FitAsync(settings, p)));
        foreach (var part in parts)
            await memory.SubmitAsync(settings, part);
        var once = await memory.GetAsync();
        await memory.SubmitAsync(settings, parts[1]); // a retry after a lost reply
        var again = await memory.GetAsync();
        Assert.Equal(Rows, again.Count);
        Assert.Equal([0, 1, 2], again.Partitions);
        Assert.Equal(once.Memory, again.Memory);
    }

    [Theory]
    [InlineData("Seed")]
    [InlineData("Beta")]
    [InlineData("Dimension")]
    public async Task AShardBuiltWithOtherSettingsIsRefusedNamingTheField(string field)
    {
        var settings = DistributedMemorySettings.From(D, Options);
        var memory = silos.Cluster.Client.GetGrain<IMemoryGrain>("memory-mismatch-" + field);
        var fit = silos.Cluster.Client.GetGrain<IPartitionFitGrain>(0);
        await memory.SubmitAsync(settings, await fit.FitAsync(settings, Partitions(2)[0]));
        var other = field switch
        {
            "Seed" => settings with { Seed = 22 },
            "Beta" => settings with { Beta = 9 },
            _ => settings with { Dimension = D + 1 },
        };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => memory.SubmitAsync(other, new PartitionSum(1, new double[1024], 10)));
        // Orleans carries the exception's type and message across silos (not ParamName): the message names the field.
        Assert.Contains($"The shard's {field} is", e.Message);
        Assert.Contains($"every shard must be built with the same {field}", e.Message);
    }
}

/// <summary>A store fitted over partitions of an IDataView on the cluster: an ordinary transformer that retrieves, saves and loads.</summary>
public sealed class ShardedStoreFitTests(TwoSilos silos) : IClassFixture<TwoSilos>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-orleans-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task AShardedStoreRetrievesLikeALocalOneAndRoundTrips()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var (train, test) = DrDam.ML.Tests.Transforms.Iris.Load(ml);
        var features = DrDam.ML.Tests.Transforms.Iris.Features01(ml).Fit(train);
        var rows = features.Transform(train);
        var options = new DistributedMemoryOptions { Beta = 20, FeatureCount = 2000, Seed = 3 };
        var sharded = await ShardedStoreFit.FitAsync(silos.Cluster.Client, "iris-store", rows, "Out", "Features", new MemoryStoreOptions { Memory = options }, partitions: 3);
        var local = ml.Transforms.AssociativeMemory.Store("Out", "Features", new MemoryStoreOptions { Memory = options }).Fit(rows);
        Assert.Equal(120, sharded.Store.Memory.Count);
        var queries = features.Transform(test);
        var (expected, actual) = (DrDam.ML.Tests.Transforms.Columns.Vectors(local.Transform(queries), "Out"), DrDam.ML.Tests.Transforms.Columns.Vectors(sharded.Transform(queries), "Out"));
        for (var r = 0; r < expected.Length; r++)
            Assert.True(Oracle.Distance(expected[r], actual[r]) < 1e-4, $"row {r}");
        var path = Path.Combine(folder, "sharded.zip");
        ml.Model.Save(sharded, rows.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        Assert.Equal(actual, DrDam.ML.Tests.Transforms.Columns.Vectors(loaded.Transform(queries), "Out"));
        await Assert.ThrowsAsync<ArgumentException>(() => ShardedStoreFit.FitAsync(silos.Cluster.Client, "no-beta", rows, "Out", "Features", new MemoryStoreOptions { Memory = new DistributedMemoryOptions() }, 2));
    }
}
