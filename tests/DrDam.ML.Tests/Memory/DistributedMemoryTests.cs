using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Memory;

public class DistributedMemoryTests
{
    private const int D = 10, K = 25;

    private static DistributedMemory Build(DistributedMemoryOptions options, float[] patterns)
    {
        var memory = new DistributedMemory(D, options);
        memory.AddRange(patterns, patterns.Length / D);
        return memory;
    }

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, false)]
    [InlineData(FeatureBasisKind.Cos, false)]
    [InlineData(FeatureBasisKind.PositiveExp, false)]
    [InlineData(FeatureBasisKind.PositiveExpExp, false)]
    [InlineData(FeatureBasisKind.SinCos, true)]
    public void GradientMatchesFiniteDifference(FeatureBasisKind basis, bool orthogonal)
    {
        var random = new Random(4);
        var options = new DistributedMemoryOptions { Beta = 4, FeatureCount = 300, Basis = basis, Seed = 17, Orthogonal = orthogonal, ProjectionBlockSize = 128 };
        var memory = Build(options, Oracle.Uniform(random, K * D, 0, 0.3));
        var queries = Oracle.Uniform(random, 4 * D, 0, 0.3);
        var (energies, gradients) = memory.EnergyAndGradient(queries, 4);
        for (var r = 0; r < 4; r++)
        {
            var x = Oracle.ToDouble(queries.AsSpan(r * D, D));
            double Energy(double[] v) => Oracle.DistributedEnergy(memory, v);
            Assert.Equal(Energy(x), energies[r], 1e-4);
            var reference = Oracle.Gradient(Energy, x);
            for (var i = 0; i < D; i++)
                Assert.True(Math.Abs(reference[i] - gradients[r * D + i]) < 1e-3 * (1 + Math.Abs(reference[i])),
                    $"{basis} row {r} coordinate {i}: finite difference {reference[i]}, gradient {gradients[r * D + i]}");
        }
    }

    [Fact]
    public void ApproachesMrDamAsFeaturesGrow()
    {
        var random = new Random(8);
        var patterns = Oracle.Binary(random, K, D);
        var queries = Oracle.Uniform(random, 20 * D, 0, 1 / Math.Sqrt(D));
        var exact = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 5, Energy = EnergyKind.L2 });
        exact.AddRange(patterns, K);
        var (energy, gradient) = exact.EnergyAndGradient(queries, 20);
        (double Energy, double Gradient) Error(int y)
        {
            var approx = Build(new DistributedMemoryOptions { Beta = 5, FeatureCount = y, Seed = 1 }, patterns);
            var (e, g) = approx.EnergyAndGradient(queries, 20);
            return (Enumerable.Range(0, 20).Average(r => Math.Abs(e[r] - energy[r])),
                Enumerable.Range(0, 20).Average(r => Oracle.Distance(g.AsSpan(r * D, D), gradient.AsSpan(r * D, D))));
        }
        var small = Error(1 << 10);
        var large = Error(1 << 16);
        Assert.True(large.Energy < small.Energy / 4, $"energy error {small.Energy} at Y=2^10, {large.Energy} at Y=2^16");
        Assert.True(large.Gradient < small.Gradient / 4, $"gradient error {small.Gradient} at Y=2^10, {large.Gradient} at Y=2^16");
    }

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, false)]
    [InlineData(FeatureBasisKind.Cos, false)]
    [InlineData(FeatureBasisKind.PositiveExpExp, true)]
    public void OnDemandAndCachedOmegaAgree(FeatureBasisKind basis, bool linearAttention)
    {
        var random = new Random(2);
        var patterns = Oracle.Uniform(random, K * D, 0, 0.3);
        var queries = Oracle.Uniform(random, 7 * D, 0, 0.3);
        var options = new DistributedMemoryOptions { Beta = 3, FeatureCount = 1000, Basis = basis, ProjectionBlockSize = 96, LinearAttention = linearAttention };
        var cached = Build(options, patterns);
        var onDemand = Build(options with { ProjectionStorage = ProjectionStorage.OnDemand }, patterns);
        Assert.Equal(cached.Memory.ToArray(), onDemand.Memory.ToArray());
        Assert.Equal(cached.LinearAttentionMemory.ToArray(), onDemand.LinearAttentionMemory.ToArray());
        var (e1, g1) = cached.EnergyAndGradient(queries, 7);
        var (e2, g2) = onDemand.EnergyAndGradient(queries, 7);
        Assert.Equal(e1, e2);
        Assert.Equal(g1, g2);
    }

    [Fact]
    public void AddThenRemoveRestoresMemory()
    {
        var random = new Random(5);
        var options = new DistributedMemoryOptions { Beta = 10, FeatureCount = 500, LinearAttention = true };
        var memory = Build(options, Oracle.Uniform(random, K * D, 0, 0.3));
        var before = memory.Memory.ToArray();
        var beforeR = memory.LinearAttentionMemory.ToArray();
        var extra = Oracle.Uniform(random, 3 * D, 0, 0.3);
        memory.AddRange(extra, 3);
        Assert.Equal(K + 3, memory.Count);
        Assert.True(Oracle.Distance(memory.LinearAttentionMemory, beforeR) > 0.01);
        memory.RemoveRange(extra, 3);
        Assert.Equal(K, memory.Count);
        for (var i = 0; i < before.Length; i++)
            Assert.Equal(before[i], memory.Memory[i], 1e-12);
        for (var i = 0; i < beforeR.Length; i++)
            Assert.Equal(beforeR[i], memory.LinearAttentionMemory[i], 1e-5);
    }

    [Fact]
    public void MergeOfShardsEqualsOneBuild()
    {
        var random = new Random(6);
        var patterns = Oracle.Uniform(random, K * D, 0, 0.3);
        var options = new DistributedMemoryOptions { Beta = 10, FeatureCount = 700, Seed = 3 };
        var whole = Build(options, patterns);
        var shard = Build(options, patterns[..(10 * D)]);
        shard.Merge(Build(options with { ProjectionStorage = ProjectionStorage.OnDemand }, patterns[(10 * D)..]));
        Assert.Equal(K, shard.Count);
        for (var i = 0; i < whole.Memory.Length; i++)
            Assert.Equal(whole.Memory[i], shard.Memory[i], 1e-12);
    }

    [Fact]
    public async Task SameSeedGivesBitIdenticalMemoryAcrossRunsAndThreadCounts()
    {
        var patterns = Oracle.Uniform(new Random(7), 40 * D, 0, 0.3);
        var options = new DistributedMemoryOptions { Beta = 10, FeatureCount = 3000, Seed = 99, ProjectionBlockSize = 200 };
        var parallel = Build(options, patterns);
        var again = Build(options with { ProjectionStorage = ProjectionStorage.OnDemand }, patterns);
        var oneThread = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1);
        var serial = await Task.Factory.StartNew(() => Build(options, patterns), CancellationToken.None, TaskCreationOptions.None, oneThread.ConcurrentScheduler);
        Assert.Equal(parallel.Memory.ToArray(), again.Memory.ToArray());
        Assert.Equal(parallel.Memory.ToArray(), serial.Memory.ToArray());
        var other = Build(options with { Seed = 100 }, patterns);
        Assert.NotEqual(parallel.Memory.ToArray(), other.Memory.ToArray());
    }

    [Fact]
    public void LinearAttentionGradientApproachesMrDam()
    {
        var random = new Random(12);
        var patterns = Oracle.Binary(random, K, D);
        var queries = Oracle.Uniform(random, 5 * D, 0, 1 / Math.Sqrt(D));
        var exact = new MemoryMatrix(D, new MemoryMatrixOptions { Beta = 5 });
        exact.AddRange(patterns, K);
        var (_, gradient) = exact.EnergyAndGradient(queries, 5);
        var approx = Build(new DistributedMemoryOptions { Beta = 5, FeatureCount = 1 << 15, LinearAttention = true }, patterns);
        var (_, g) = approx.EnergyAndGradient(queries, 5);
        for (var r = 0; r < 5; r++)
            Assert.True(Oracle.Distance(g.AsSpan(r * D, D), gradient.AsSpan(r * D, D)) < 0.02);
    }

    [Fact]
    public void MergingIncompatibleMemoriesNamesTheDifference()
    {
        var a = new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 50, Seed = 1 });
        var seed = Assert.Throws<ArgumentException>(() => a.Merge(new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 50, Seed = 2 })));
        Assert.Contains("Seed: this one has 1, the other 2", seed.Message);
        Assert.Contains("Beta", Assert.Throws<ArgumentException>(() => a.Merge(new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 50, Seed = 1, Beta = 2 }))).Message);
        Assert.Contains("Basis", Assert.Throws<ArgumentException>(() => a.Merge(new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 50, Seed = 1, Basis = FeatureBasisKind.Cos }))).Message);
        Assert.Contains("Dimension", Assert.Throws<ArgumentException>(() => a.Merge(new DistributedMemory(D + 1, new DistributedMemoryOptions { FeatureCount = 50, Seed = 1 }))).Message);
        Assert.Contains("FeatureCount", Assert.Throws<ArgumentException>(() => a.Merge(new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 51, Seed = 1 }))).Message);
    }

    [Fact]
    public void BadInputIsRejectedWithTheParameterName()
    {
        Assert.Equal("FeatureCount", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemoryOptions { FeatureCount = 0 }).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemoryOptions { Beta = -1 }).ParamName);
        Assert.Equal("LogClip", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemoryOptions { LogClip = 0 }).ParamName);
        Assert.Equal("Basis", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemoryOptions { Basis = (FeatureBasisKind)7 }).ParamName);
        var memory = new DistributedMemory(D, new DistributedMemoryOptions { FeatureCount = 50 });
        Assert.Contains("row 0, coordinate 2", Assert.Throws<ArgumentException>(() => memory.Add([0, 0, float.PositiveInfinity, 0, 0, 0, 0, 0, 0, 0])).Message);
        Assert.Contains("10 values (got 3)", Assert.Throws<ArgumentException>(() => memory.Add([0, 0, 0])).Message);
        Assert.Equal("memory", Assert.Throws<ArgumentException>(() => memory.EnergyAndGradient(new float[D], 1)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => memory.Remove(new float[D])).ParamName);
    }
}
