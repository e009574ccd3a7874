using DrDam.ML.Memory;
using DrDam.ML.Transforms;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;

namespace DrDam.ML.Orleans;

/// <summary>
/// The ML.NET face of a sharded fit: the rows of an IDataView column are split into partitions, fitted on the
/// cluster (<see cref="ShardedFit"/>), and the result is an ordinary DrDAM store transformer that retrieves, saves
/// and loads like any other.
/// </summary>
public static class ShardedStoreFit
{
    /// <summary>
    /// Fits a DrDAM store of <paramref name="inputColumnName"/> over <paramref name="partitions"/> partitions; the
    /// store retrieves from the same column into <paramref name="outputColumnName"/> with <paramref name="options"/>'
    /// retrieval settings. <see cref="MemoryStoreOptions.Memory"/> must be a <see cref="DistributedMemoryOptions"/>
    /// with β given: shards cannot choose β from their own rows.
    /// </summary>
    public static async Task<AssociativeMemoryTransformer> FitAsync(IGrainFactory grains, string memoryId, IDataView data,
        string outputColumnName, string inputColumnName, MemoryStoreOptions options, int partitions, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        if (options.Memory is not DistributedMemoryOptions { IsBetaSet: true } memoryOptions)
            throw new ArgumentException("A sharded fit needs DistributedMemoryOptions with Beta: every shard must use the same β, so it cannot be chosen from each shard's rows.", nameof(options));
        var parts = MemoryStoreFit.Partitions(data, inputColumnName, partitions);
        var d = SchemaCheck.FloatVector(data.Schema[inputColumnName], "Store");
        var memory = await ShardedFit.FitAsync(grains, memoryId, d, memoryOptions,
            parts.Select((part, p) => new PartitionRows(p, part.Rows, part.Count)).Where(p => p.Count > 0), cancellation: cancellation);
        if (memory.Count == 0)
            throw new ArgumentException($"Column '{inputColumnName}' has no rows to store: the memory would be empty.", nameof(data));
        return new AssociativeMemoryTransformer(new StoredMemory(memory, null), new RetrievalColumns(inputColumnName, null, outputColumnName),
            options.Retrieval, options.BatchSize, inputColumnName, null);
    }
}
