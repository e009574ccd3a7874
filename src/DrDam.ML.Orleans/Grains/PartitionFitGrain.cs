using DrDam.ML.Memory;
using Orleans.Concurrency;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IPartitionFitGrain"/>
[StatelessWorker, GrainType("drdam.partition-fit")]
internal sealed class PartitionFitGrain : Grain, IPartitionFitGrain
{
    public Task<PartitionSum> FitAsync(DistributedMemorySettings settings, PartitionRows partition)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(partition);
        var memory = new DistributedMemory(SiloFeatureSpaces.For(settings));
        memory.AddRange(partition.Rows, partition.Count);
        return Task.FromResult(new PartitionSum(partition.Partition, memory.Memory.ToArray(), memory.Count, RuntimeIdentity));
    }
}
