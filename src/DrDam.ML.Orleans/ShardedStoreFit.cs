using DrDam.ML.Memory;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

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
    /// store retrieves from the same column into <paramref name="outputColumnName"/>. β must be given: shards cannot
    /// choose it from their own rows.
    /// </summary>
    public static async Task<AssociativeMemoryTransformer> FitAsync(IGrainFactory grains, string memoryId, IDataView data,
        string outputColumnName, string inputColumnName, DistributedMemoryOptions options, int partitions, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        if (!options.IsBetaSet)
            throw new ArgumentException("A sharded fit needs Beta: every shard must use the same β, so it cannot be chosen from each shard's rows.", nameof(options));
        var column = data.Schema.GetColumnOrNull(inputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputColumnName), $"Store column '{inputColumnName}' not found in the input schema.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } vector || n != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputColumnName), $"Store column '{inputColumnName}' must be a known-size Vector<Single>, but is {column.Type}.");
        var d = vector.Size;
        var rows = new List<float>[partitions];
        for (var p = 0; p < partitions; p++)
            rows[p] = [];
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                rows[(int)(cursor.Position % partitions)].AddRange(buffer.DenseValues());
            }
        }
        var memory = await ShardedFit.FitAsync(grains, memoryId, d, options,
            rows.Select((r, p) => (p, r.ToArray(), r.Count / d)).Where(p => p.Item3 > 0), cancellation);
        if (memory.Count == 0)
            throw new ArgumentException($"Column '{inputColumnName}' has no rows to store: the memory would be empty.", nameof(data));
        return new AssociativeMemoryTransformer(new StoredMemory(memory, null), new RetrievalColumns(inputColumnName, null, outputColumnName),
            new Memory.Dynamics.RetrievalOptions(), 128, inputColumnName, null);
    }
}
