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

    /// <summary>Empties the memory and deletes its state from storage.</summary>
    Task ClearAsync();

    /// <summary>The memory's shape without T: D (0 while empty), rows and version.</summary>
    Task<(int Dimension, long Count, long Version)> DescribeAsync();
}

/// <summary>A sharded memory's state as the client sees it.</summary>
/// <param name="Settings">The settings every part was built with (null while empty).</param>
/// <param name="Memory">T, the parts summed in partition order.</param>
/// <param name="Count">Rows in all parts.</param>
/// <param name="Partitions">The partition ids in, ascending.</param>
/// <param name="Version">Counts the submits so far: serving grains compare it to know their copy of T is current.</param>
[GenerateSerializer, Immutable, Alias("drdam.memory-snapshot")]
public sealed record MemorySnapshot(
    [property: Id(0)] DistributedMemorySettings? Settings, [property: Id(1)] double[] Memory, [property: Id(2)] long Count, [property: Id(3)] int[] Partitions,
    [property: Id(4)] long Version);
