using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Orleans;
using DrDam.ML.Tests;

namespace DrDam.ML.Orleans.Tests;

/// <summary>
/// MrDAM retrieval on the cluster: the patterns are split over shard grains, every step merges the shards' answers
/// exactly, so energies, states and steps equal the single-machine memory's within float rounding.
/// </summary>
public sealed class ShardedRetrievalTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    private const int D = 24, K = 90, Queries = 12;

    [Theory]
    [InlineData(EnergyKind.L2, 3)]
    [InlineData(EnergyKind.Dot, 4)]
    [InlineData(EnergyKind.CosineDot, 2)]
    public void ShardedRetrievalEqualsTheSingleMachineMemory(EnergyKind energy, int shards)
    {
        var patterns = Oracle.Binary(new Random(7), K, D);
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Energy = energy, Beta = 12 });
        memory.AddRange(patterns, K);
        var queries = Oracle.Uniform(new Random(8), Queries * D, 0, 0.25);
        var clamped = Enumerable.Range(0, Queries * D).Select(i => (i % D + i / D) % 4 == 0).ToArray();
        var options = new RetrievalOptions { StepSize = 0.1, MaxSteps = 60, Tolerance = 1e-7 };

        var local = memory.Retrieve(queries, Queries, options, clamped);
        var cluster = memory.Retrieve(queries, Queries, options, clamped, new OrleansBackend(silos.Cluster.Client, shards));

        for (var q = 0; q < Queries; q++)
        {
            Assert.True(Math.Abs(local.Energies[q] - cluster.Energies[q]) <= 1e-5 * (1 + Math.Abs(local.Energies[q])), $"query {q}: energy {cluster.Energies[q]} vs {local.Energies[q]}");
            Assert.True(Math.Abs(local.Steps[q] - cluster.Steps[q]) <= 1, $"query {q}: {cluster.Steps[q]} steps vs {local.Steps[q]}");
            Assert.True(Oracle.Distance(local.State(q), cluster.State(q)) <= 1e-4, $"query {q}: states differ by {Oracle.Distance(local.State(q), cluster.State(q))}");
        }
    }

    [Fact]
    public void AnEnergyThatDoesNotSplitOverShardsIsRefused()
    {
        var memory = new MemoryMatrix(D, new MemoryMatrixOptions { Energy = EnergyKind.Epanechnikov, Beta = 4 });
        memory.AddRange(Oracle.Binary(new Random(1), 10, D), 10);
        var e = Assert.Throws<ArgumentException>(() => new OrleansBackend(silos.Cluster.Client, 2).CreateEvaluator(memory, 4));
        Assert.Contains("Epanechnikov does not merge exactly over shards", e.Message);
    }

    [Fact]
    public void TheMergeOfOneShardIsThatShard()
    {
        double[] energies = [0.3, -1.2];
        float[] gradients = [1, 2, 3, 4];
        var (e, g) = (new double[2], new float[4]);
        ShardMerge.Merge(5, [(energies, gradients)], 2, 2, e, g);
        Assert.Equal(energies[0], e[0], 12);
        Assert.Equal(energies[1], e[1], 12);
        Assert.Equal(gradients, g);
    }
}
