using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Approximation;

/// <summary>The two representations of the same stored patterns that every study compares.</summary>
internal static class StudyMemories
{
    /// <summary>MrDAM: the K×D matrix with the L2 (log-sum-exp RBF) energy.</summary>
    public static MemoryMatrix Exact(float[] stored, int dimension, double beta)
    {
        var memory = new MemoryMatrix(dimension, new MemoryMatrixOptions { Beta = beta });
        memory.AddRange(stored, stored.Length / dimension);
        return memory;
    }

    /// <summary>DrDAM: T = Σ φ(√β·ξ) with Y random projections drawn from <paramref name="seed"/>, Ω held as <paramref name="omega"/> says.</summary>
    public static DistributedMemory Distributed(float[] stored, int dimension, double beta, FeatureBasisKind basis, int featureCount, int seed, ProjectionStorage omega = ProjectionStorage.Cached)
    {
        var memory = new DistributedMemory(dimension, new DistributedMemoryOptions { Beta = beta, Basis = basis, FeatureCount = featureCount, Seed = (ulong)seed, ProjectionStorage = omega });
        memory.AddRange(stored, stored.Length / dimension);
        return memory;
    }

    /// <summary>2^from … 2^to.</summary>
    public static int[] PowersOfTwo(int from, int to) => Enumerable.Range(from, to - from + 1).Select(e => 1 << e).ToArray();
}
