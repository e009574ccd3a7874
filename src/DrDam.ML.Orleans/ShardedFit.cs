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

    /// <summary>How often a partition is tried before the fit fails.</summary>
    public const int Attempts = 5;

    /// <summary>Fits the partitions into memory <paramref name="memoryId"/> and returns it as a local <see cref="DistributedMemory"/>.</summary>
    /// <param name="grains">The cluster's grain factory (an <c>IClusterClient</c> or a grain's).</param>
    /// <param name="memoryId">The memory grain's key.</param>
    /// <param name="dimension">D.</param>
    /// <param name="options">The memory's settings (Ω's storage applies to the returned memory only).</param>
    /// <param name="partitions">Each partition: its id, its rows (row-major) and their count.</param>
    /// <param name="cancellation">Stops between partitions.</param>
    public static async Task<DistributedMemory> FitAsync(IGrainFactory grains, string memoryId, int dimension, DistributedMemoryOptions options,
        IEnumerable<(int Partition, float[] Rows, int Count)> partitions, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(memoryId);
        ArgumentNullException.ThrowIfNull(partitions);
        var settings = DistributedMemorySettings.From(dimension, options);
        var memory = grains.GetGrain<IMemoryGrain>(memoryId);
        await Task.WhenAll(partitions.Select(p => Retry(async () =>
        {
            var part = await grains.GetGrain<IPartitionFitGrain>(0).FitAsync(p.Partition, settings, p.Rows, p.Count);
            await memory.SubmitAsync(settings, part);
        }, cancellation)));
        var snapshot = await memory.GetAsync();
        var result = new DistributedMemory(dimension, options);
        result.Restore(snapshot.Memory, [], snapshot.Count);
        return result;
    }

    private static async Task Retry(Func<Task> call, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (attempt < Attempts && e is OrleansException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellation);
            }
        }
    }
}
