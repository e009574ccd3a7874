using DrDam.ML.Memory;
using DrDam.ML.Orleans.Grains;

namespace DrDam.ML.Orleans;

/// <summary>
/// A DrDAM fit over data split into partitions, on an Orleans cluster: each partition's T is built by a
/// <see cref="IPartitionFitGrain"/> (Ω regenerated from the seed on whichever silo runs it) and handed to the
/// <see cref="IMemoryGrain"/>, which sums the parts in partition order. A failed partition call is retried; since parts
/// are keyed by partition id, a retry replaces and never double-counts.
/// </summary>
public static class ShardedFit
{
    /// <summary>The grain storage provider the memory grains keep their state in: silos must register one by this name.</summary>
    public const string GrainStorage = "drdam";

    /// <summary>How often a partition is tried before the fit fails (the waits between add up to about 7 s, enough for a dead silo to be declared).</summary>
    public const int Attempts = 8;

    /// <summary>Fits the partitions into memory <paramref name="memoryId"/> and returns it as a local <see cref="DistributedMemory"/>.</summary>
    /// <param name="grains">The cluster's grain factory (an <c>IClusterClient</c> or a grain's).</param>
    /// <param name="memoryId">The memory grain's key.</param>
    /// <param name="dimension">D.</param>
    /// <param name="options">The memory's settings (Ω's storage applies to the returned memory only).</param>
    /// <param name="partitions">The partitions, each with its own id.</param>
    /// <param name="progress">Told of each partition once the memory grain holds it.</param>
    /// <param name="concurrency">
    /// Partitions in flight at once; by default as many as the cluster has active silos, so that each silo builds one
    /// part at a time with all its cores instead of several parts fighting over them.
    /// </param>
    /// <param name="cancellation">Stops between partitions.</param>
    public static async Task<DistributedMemory> FitAsync(IGrainFactory grains, string memoryId, int dimension, DistributedMemoryOptions options,
        IEnumerable<PartitionRows> partitions, IProgress<PartitionSum>? progress = null, int? concurrency = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(memoryId);
        ArgumentNullException.ThrowIfNull(partitions);
        if (concurrency is <= 0)
            throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, $"concurrency must be > 0 (got {concurrency}).");
        var settings = DistributedMemorySettings.From(dimension, options);
        var memory = grains.GetGrain<IMemoryGrain>(memoryId);
        using var slots = new SemaphoreSlim(concurrency
            ?? Math.Max(1, (await ClusterRetry.Run(() => grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), Attempts, cancellation)).Count));
        await Task.WhenAll(partitions.Select(async p =>
        {
            await slots.WaitAsync(cancellation);
            try
            {
                var part = await ClusterRetry.Run(async () =>
                {
                    var part = await grains.GetGrain<IPartitionFitGrain>(p.Partition).FitAsync(settings, p);
                    await memory.SubmitAsync(settings, part);
                    return part;
                }, Attempts, cancellation);
                progress?.Report(part);
            }
            finally
            {
                slots.Release();
            }
        }));
        // A read, repeated like the partitions: the memory grain may have lived on a silo that died during the fit
        // (one CI run failed here with "Unable to connect to endpoint" right after a silo was killed).
        var snapshot = await ClusterRetry.Run(memory.GetAsync, Attempts, cancellation);
        var result = new DistributedMemory(dimension, options);
        result.Restore(snapshot.Memory, [], snapshot.Count);
        return result;
    }
}
