using System.Diagnostics;
using DrDam.ML.Memory;
using DrDam.ML.Orleans;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>What a sharded fit of <c>scale-out</c> produced: the memory, its time, where the parts were built, and the silo killed (if any).</summary>
internal sealed record ClusterFit(string MemoryId, DistributedMemory Memory, int Partitions, double Seconds, IReadOnlyDictionary<string, int> PartitionsPerSilo, int? KilledSilo)
{
    /// <summary>
    /// Fits <paramref name="data"/>'s stored rows in <see cref="ScaleOutSettings.Partitions"/> contiguous partitions on the
    /// cluster; with <see cref="ScaleOutSettings.KillOne"/> the last silo process is SIGKILLed once half of them are in.
    /// </summary>
    public static ClusterFit Run(ScaleOutSettings settings, ScaleOutData data, DistributedMemoryOptions options, IGrainFactory grains,
        IReadOnlyList<SiloProcess> silos, Action<string, int, int> progress, Action<string> log)
    {
        var (d, n) = (data.Dimension, data.StoredRows);
        var partitions = Math.Min(settings.Partitions, n);
        var parts = Enumerable.Range(0, partitions).Select(p =>
        {
            var (from, to) = ((int)((long)p * n / partitions), (int)((long)(p + 1) * n / partitions));
            return new PartitionRows(p, data.Stored[(from * d)..(to * d)], to - from);
        }).ToArray();
        var (done, perSilo) = (0, new Dictionary<string, int>());
        int? killed = null;
        Task? kill = null;
        var fitted = new SynchronousProgress<PartitionSum>(part =>
        {
            lock (perSilo)
            {
                perSilo[part.Silo] = perSilo.GetValueOrDefault(part.Silo) + 1;
                progress("fit", ++done, partitions);
                if (settings.KillOne && killed is null && done >= partitions / 2)
                {
                    var victim = silos[^1];
                    killed = victim.Id;
                    kill = Task.Run(victim.Kill);
                    log($"killed silo process {victim.Id} after {done} of {partitions} partitions");
                }
            }
        });
        var memoryId = "fashion-" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var memory = ShardedFit.FitAsync(grains, memoryId, d, options, parts, fitted).GetAwaiter().GetResult();
        var seconds = clock.Elapsed.TotalSeconds;
        kill?.GetAwaiter().GetResult();
        log($"sharded fit: {seconds:F2} s, {memory.Count} rows");
        return new ClusterFit(memoryId, memory, partitions, seconds, perSilo, killed);
    }
}
