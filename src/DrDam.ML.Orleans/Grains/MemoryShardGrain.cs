using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IMemoryShardGrain"/>
/// <remarks>Its patterns live only in the activation, so it is never collected for idleness; <see cref="UnloadAsync"/> ends it.</remarks>
[KeepAlive, GrainType("drdam.memory-shard")]
internal sealed class MemoryShardGrain : Grain, IMemoryShardGrain
{
    private MemoryMatrix? shard;
    private IEnergyEvaluator? evaluator;

    public Task LoadAsync(int dimension, EnergyKind energy, double beta, float[] patterns, int count)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var matrix = new MemoryMatrix(dimension, new MemoryMatrixOptions { Energy = energy, Beta = beta });
        matrix.AddRange(patterns, count);
        evaluator?.Dispose();
        (shard, evaluator) = (matrix, null);
        return Task.CompletedTask;
    }

    public Task<ShardStep> EvaluateAsync(float[] states, int rows)
    {
        var memory = shard ?? throw new InvalidOperationException($"Shard '{this.GetPrimaryKeyString()}' holds no patterns: it was not loaded, or its silo restarted.");
        if (evaluator is null || evaluator.MaxBatch < rows)
        {
            evaluator?.Dispose();
            evaluator = ManagedBackend.Instance.CreateEvaluator(memory, Math.Max(rows, 1));
        }
        var energies = new double[rows];
        var gradients = new float[rows * memory.Dimension];
        evaluator.Evaluate(states, rows, energies, gradients);
        return Task.FromResult(new ShardStep(energies, gradients));
    }

    public Task UnloadAsync()
    {
        evaluator?.Dispose();
        (shard, evaluator) = (null, null);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
