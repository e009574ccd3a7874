using DrDam.ML.Memory;
using Orleans.Concurrency;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IPartitionFitGrain"/>
[StatelessWorker]
internal sealed class PartitionFitGrain : Grain, IPartitionFitGrain
{
    public Task<PartitionSum> FitAsync(int partition, DistributedMemorySettings settings, float[] rows, int count)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(rows);
        var memory = new DistributedMemory(SiloFeatureSpaces.For(settings));
        memory.AddRange(rows, count);
        return Task.FromResult(new PartitionSum(partition, memory.Memory.ToArray(), memory.Count, RuntimeIdentity));
    }
}
