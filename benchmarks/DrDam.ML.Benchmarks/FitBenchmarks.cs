using BenchmarkDotNet.Attributes;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Benchmarks;

/// <summary>
/// DrDAM fit: streaming K patterns into T in chunks of 64, as the ML.NET estimator does. In on-demand
/// mode the allocated bytes must stay flat in K (O(Y + D), no pattern kept, no Y×D array).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FitBenchmarks : IFlopCounted
{
    private const int D = 784, Y = 4096, Chunk = 64;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddColumn(new FlopsColumn());
    }

    private float[] chunk = null!;

    [Params(1_000, 10_000)]
    public int K { get; set; }

    [Params(ProjectionStorage.OnDemand, ProjectionStorage.Cached)]
    public ProjectionStorage Storage { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        chunk = Enumerable.Range(0, Chunk * D).Select(_ => (float)(random.NextDouble() / Math.Sqrt(D))).ToArray();
    }

    [Benchmark]
    public long FitDistributedMemory()
    {
        var memory = new DistributedMemory(D, new DistributedMemoryOptions { Beta = 10, FeatureCount = Y, ProjectionStorage = Storage });
        for (var stored = 0; stored < K; stored += Chunk)
            memory.AddRange(chunk, Chunk);
        return memory.Count;
    }

    /// <inheritdoc/>
    public double Flops(string method) => 2.0 * ((K + Chunk - 1) / Chunk * Chunk) * Y * D;
}
