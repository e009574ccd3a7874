namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// A sharded DrDAM memory: collects the partitions' sums keyed by partition id (a retry replaces, never adds) and
/// sums them in partition-id order, so T is bit-identical whatever the order of arrival or the silo that built each
/// part. Its state (settings, parts) lives in grain storage.
/// </summary>
public interface IMemoryGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) one partition's sum.</summary>
    /// <exception cref="ArgumentException">The settings differ from the memory's, naming the field.</exception>
    Task SubmitAsync(DistributedMemorySettings settings, PartitionSum part);

    /// <summary>The memory so far: its settings, T summed in partition order, the row count and the partitions in.</summary>
    Task<MemorySnapshot> GetAsync();
}

/// <summary>A sharded memory's state as the client sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record MemorySnapshot(
    [property: Id(0)] DistributedMemorySettings? Settings, [property: Id(1)] double[] Memory, [property: Id(2)] long Count, [property: Id(3)] int[] Partitions);
