using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;
using DrDam.ML.Orleans.Grains;
using DrDam.ML.Tests;
using DrDam.ML.Transforms;
using Orleans.Runtime;

namespace DrDam.ML.Orleans.Tests;

/// <summary>
/// DrDAM retrieval served by the cluster's stateless workers (each silo with its own copy of T and Ω), and the
/// failures of serving: an empty or changed memory, and an MrDAM shard that lost its patterns. Never a partial answer.
/// </summary>
public sealed class ServedRetrievalTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    private const int D = 16, Rows = 300, Queries = 9;
    private static readonly DistributedMemoryOptions Options = new() { Beta = 12, FeatureCount = 1024, Seed = 4 };
    private static readonly float[] Data = Oracle.Uniform(new Random(3), Rows * D, 0, 1);
    private static readonly RetrievalOptions Descent = new() { StepSize = 0.05, MaxSteps = 40, Tolerance = 0 };

    private IClusterClient Client => silos.Cluster.Client;

    private static PartitionRows[] Partitions(int count) => [.. Enumerable.Range(0, count).Select(p =>
    {
        var (from, to) = (p * Rows / count, (p + 1) * Rows / count);
        return new PartitionRows(p, Data[(from * D)..(to * D)], to - from);
    })];

    private static (float[] Queries, bool[] Clamped) Occluded()
    {
        var queries = Data[..(Queries * D)];
        var clamped = Enumerable.Range(0, queries.Length).Select(i => i % D < D / 2).ToArray();
        for (var i = 0; i < queries.Length; i++)
            queries[i] = clamped[i] ? queries[i] : 0.5f;
        return (queries, clamped);
    }

    [Fact]
    public async Task ServedRetrievalIsTheLocalRetrievalOfTheSameMemory()
    {
        var local = await ShardedFit.FitAsync(Client, "served", D, Options, Partitions(3));
        var (queries, clamped) = Occluded();
        var served = await ServedMemory.OpenAsync(Client, "served", lanes: 2);
        Assert.Equal((D, Rows), (served.Dimension, (int)served.Count));
        var expected = local.Retrieve(queries, Queries, Descent, clamped);
        var actual = await served.RetrieveAsync(queries, Queries, Descent, clamped);
        // The same T, Ω and arithmetic on both sides: the lanes only split the batch.
        Assert.Equal(expected.States, actual.States);
        Assert.Equal(expected.Energies, actual.Energies);
        Assert.Equal(expected.Steps, actual.Steps);
    }

    [Fact]
    public void TheOrleansBackendRunsADrDamMemoryUnchanged()
    {
        var memory = new DistributedMemory(D, Options with { ProjectionStorage = ProjectionStorage.OnDemand, ProjectionBlockSize = 256 });
        memory.AddRange(Data, Rows);
        var (queries, clamped) = Occluded();
        var expected = memory.Retrieve(queries, Queries, Descent, clamped);
        var actual = memory.Retrieve(queries, Queries, Descent, clamped, new OrleansBackend(Client, 3));
        for (var q = 0; q < Queries; q++)
        {
            Assert.True(Math.Abs(expected.Energies[q] - actual.Energies[q]) <= 1e-6 * (1 + Math.Abs(expected.Energies[q])), $"query {q}: {actual.Energies[q]} vs {expected.Energies[q]}");
            Assert.True(Oracle.Distance(expected.State(q), actual.State(q)) <= 1e-4, $"query {q}: states differ by {Oracle.Distance(expected.State(q), actual.State(q))}");
        }
    }

    [Fact]
    public void AStoreTransformerRetrievesThroughTheClusterWithBackend()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var (train, test) = DrDam.ML.Tests.Transforms.Iris.Load(ml);
        var features = DrDam.ML.Tests.Transforms.Iris.Features01(ml).Fit(train);
        var store = ml.Transforms.AssociativeMemory.Store("Out", "Features", new MemoryStoreOptions { Memory = new DistributedMemoryOptions { Beta = 20, FeatureCount = 1000, Seed = 3 } })
            .Fit(features.Transform(train));
        var queries = features.Transform(test);
        var expected = DrDam.ML.Tests.Transforms.Columns.Vectors(store.Transform(queries), "Out");
        var actual = DrDam.ML.Tests.Transforms.Columns.Vectors(store.WithBackend(new OrleansBackend(Client, 2)).Transform(queries), "Out");
        for (var r = 0; r < expected.Length; r++)
            Assert.True(Oracle.Distance(expected[r], actual[r]) < 1e-4, $"row {r}");
    }

    [Fact]
    public async Task AnEmptyMemoryIsRefusedNamingIt()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServedMemory.OpenAsync(Client, "never-fitted"));
        Assert.Equal("Memory 'never-fitted' is empty: fit it before serving retrieval from it.", e.Message);
        Assert.Equal("memoryId", (await Assert.ThrowsAsync<ArgumentException>(() => ServedMemory.OpenAsync(Client, "a#b"))).ParamName);
    }

    [Fact]
    public async Task AMemoryThatChangedSinceItWasOpenedIsRefused()
    {
        await ShardedFit.FitAsync(Client, "changing", D, Options, Partitions(3)[..2]);
        var served = await ServedMemory.OpenAsync(Client, "changing");
        var settings = DistributedMemorySettings.From(D, Options);
        await Client.GetGrain<IMemoryGrain>("changing").SubmitAsync(settings, await Client.GetGrain<IPartitionFitGrain>(2).FitAsync(settings, Partitions(3)[2]));
        var (queries, clamped) = Occluded();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => served.RetrieveAsync(queries, Queries, Descent, clamped));
        Assert.Contains("Memory 'changing' is at version 3, not the 2 asked for", e.Message);
    }

    [Fact]
    public async Task AnMrDamShardThatLostItsPatternsFailsTheStepNamingIt()
    {
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Energy = EnergyKind.L2, Beta = 10 });
        memory.AddRange(Data[..(60 * D)], 60);
        using var evaluator = new OrleansBackend(Client, 3).CreateEvaluator(memory, 4);
        var (energies, gradients) = (new double[4], new float[4 * D]);
        evaluator.Evaluate(Data[..(4 * D)], 4, energies, gradients);
        // A shard's silo restarting looks like this: its activation is gone, and with it the patterns.
        var management = Client.GetGrain<IManagementGrain>(0);
        var shards = await management.GetActiveGrains(GrainType.Create("drdam.memory-shard"));
        Assert.True(shards.Count >= 3, $"{shards.Count} shard activations");
        foreach (var shard in shards)
            await management.DeactivateGrain(shard);
        var e = Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(Data[..(4 * D)], 4, energies, gradients));
        Assert.StartsWith("Shard '", e.Message);
        Assert.Contains("holds no patterns: it was not loaded, or its silo restarted", e.Message);
        Assert.Contains("the step has no partial answer", e.Message);
    }
}
