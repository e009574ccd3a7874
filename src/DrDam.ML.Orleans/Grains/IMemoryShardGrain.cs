using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Orleans.Grains;

/// <summary>One shard of an MrDAM memory's patterns, evaluating descent steps for query batches on its silo.</summary>
public interface IMemoryShardGrain : IGrainWithStringKey
{
    /// <summary>Holds <paramref name="count"/> patterns (row-major) of an MrDAM memory with these settings.</summary>
    Task LoadAsync(int dimension, EnergyKind energy, double beta, float[] patterns, int count);

    /// <summary>This shard's energies and gradients for <paramref name="rows"/> states (row-major).</summary>
    Task<ShardStep> EvaluateAsync(float[] states, int rows);

    /// <summary>Drops the patterns and lets the activation go (it is otherwise kept alive while its evaluator lives).</summary>
    Task UnloadAsync();
}

/// <summary>A shard's answer for one batch: its energies and gradients (see <c>ShardMerge</c>).</summary>
[GenerateSerializer, Immutable, Alias("drdam.shard-step")]
public sealed record ShardStep([property: Id(0)] double[] Energies, [property: Id(1)] float[] Gradients);
