using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Orleans;

/// <summary>
/// What every shard of a sharded DrDAM fit must share so that their T's add up to one memory: the dimension and the
/// settings that define φ and Ω (β, Y, basis, seed, orthogonality). Each shard regenerates Ω from them; only T travels.
/// </summary>
[GenerateSerializer, Immutable, Alias("drdam.settings")]
public sealed record DistributedMemorySettings
{
    /// <summary>D.</summary>
    [Id(0)] public required int Dimension { get; init; }

    /// <summary>β.</summary>
    [Id(1)] public required double Beta { get; init; }

    /// <summary>Y.</summary>
    [Id(2)] public required int FeatureCount { get; init; }

    /// <summary>φ's basis.</summary>
    [Id(3)] public required FeatureBasisKind Basis { get; init; }

    /// <summary>τ, the seed of Ω.</summary>
    [Id(4)] public required ulong Seed { get; init; }

    /// <summary>Orthogonal random features.</summary>
    [Id(5)] public required bool Orthogonal { get; init; }

    /// <summary>The clip on log⟨φ, T⟩ (see <see cref="DistributedMemoryOptions.LogClip"/>): retrieval from the memory depends on it.</summary>
    [Id(6)] public double LogClip { get; init; } = new DistributedMemoryOptions().LogClip;

    /// <summary>The settings of a memory of <paramref name="dimension"/>-long patterns built with <paramref name="options"/>.</summary>
    public static DistributedMemorySettings From(int dimension, DistributedMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LinearAttention)
            throw new ArgumentException("A sharded fit builds T only: LinearAttention (R, O(YD) per shard) is not supported.", nameof(options));
        return new() { Dimension = dimension, Beta = options.Beta, FeatureCount = options.FeatureCount, Basis = options.Basis, Seed = options.Seed, Orthogonal = options.Orthogonal, LogClip = options.LogClip };
    }

    /// <summary>The memory options these settings describe, with Ω kept as <paramref name="storage"/> says.</summary>
    public DistributedMemoryOptions ToOptions(ProjectionStorage storage) => new()
    {
        Beta = Beta, FeatureCount = FeatureCount, Basis = Basis, Seed = Seed, Orthogonal = Orthogonal, LogClip = LogClip, ProjectionStorage = storage,
    };

    /// <summary>Throws, naming the first field that differs, unless <paramref name="other"/> describes the same memory.</summary>
    /// <exception cref="ArgumentException">A field differs.</exception>
    public void RequireSame(DistributedMemorySettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Check(nameof(Dimension), Dimension, other.Dimension);
        Check(nameof(Beta), Beta, other.Beta);
        Check(nameof(FeatureCount), FeatureCount, other.FeatureCount);
        Check(nameof(Basis), Basis, other.Basis);
        Check(nameof(Seed), Seed, other.Seed);
        Check(nameof(Orthogonal), Orthogonal, other.Orthogonal);
        Check(nameof(LogClip), LogClip, other.LogClip);

        static void Check<T>(string name, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
                throw new ArgumentException($"The shard's {name} is {theirs}, but the memory's is {mine}: every shard must be built with the same {name}.", name);
        }
    }
}
