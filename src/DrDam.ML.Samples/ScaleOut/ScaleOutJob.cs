using System.Diagnostics;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Orleans;
using DrDam.ML.Orleans.Hosting;
using DrDam.ML.Samples.Benchmarking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>
/// <c>scale-out</c>: a DrDAM fit of Fashion-MNIST sharded over silo processes joined through a private Redis, checked
/// against a single-process fit of the same rows, then occluded test images retrieved through the cluster's serving
/// grains and locally. Optionally a silo is killed halfway through the fit.
/// </summary>
internal static class ScaleOutJob
{
    /// <summary>Runs the job; <paramref name="progress"/> gets (stage, done, total) and <paramref name="log"/> one line per stage.</summary>
    public static Dictionary<string, object?> Run(ScaleOutSettings settings, Action<string, int, int> progress, Action<string> log)
    {
        var data = ScaleOutData.Load(settings.Rows, settings.Queries);
        var (d, n) = (data.Dimension, data.StoredRows);
        var options = new DistributedMemoryOptions
        {
            Beta = AutomaticBeta.ForDistributed(data.Stored, n, d), FeatureCount = settings.FeatureCount, Seed = settings.Seed,
        };
        log($"{n} rows of {data.Source}, D = {d}, Y = {options.FeatureCount}, β = {options.Beta:G4}");

        var clock = Stopwatch.StartNew();
        var single = new DistributedMemory(d, options);
        single.AddRange(data.Stored, n);
        var singleSeconds = clock.Elapsed.TotalSeconds;
        log($"single-process fit: {singleSeconds:F2} s");

        using var redis = LocalRedis.Start();
        // A call caught on a killed silo is given up after 20 s: above the slowest partition fit seen here (a silo's first, >10 s
        // with three cold silos on two cores), so that no call times out without a fault.
        var cluster = new ScaleOutOptions
        {
            Redis = redis.ConnectionString, ServiceId = "drdam-" + Guid.NewGuid().ToString("N")[..8], ClusterId = "scale-out", ResponseTimeout = TimeSpan.FromSeconds(20),
        };
        var silos = new List<SiloProcess>();
        try
        {
            progress("silos", 0, settings.Silos);
            foreach (var silo in Enumerable.Range(0, settings.Silos).AsParallel().Select(_ => SiloProcess.Start(cluster)))
            {
                silos.Add(silo);
                progress("silos", silos.Count, settings.Silos);
            }
            log($"{settings.Silos} silo processes up, Redis on port {redis.Port}");
            using var client = ClusterConnection.OpenAsync(cluster).GetAwaiter().GetResult();
            try
            {
                var grains = client.Services.GetRequiredService<IClusterClient>();
                return Measure(settings, data, options, single, singleSeconds, grains, client.Services.GetRequiredService<Serializer>(), silos, progress, log);
            }
            finally
            {
                client.StopAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            foreach (var silo in silos)
                silo.Dispose();
        }
    }

    private static Dictionary<string, object?> Measure(ScaleOutSettings settings, ScaleOutData data, DistributedMemoryOptions options, DistributedMemory single,
        double singleSeconds, IClusterClient grains, Serializer serializer, List<SiloProcess> silos, Action<string, int, int> progress, Action<string> log)
    {
        var (d, n) = (data.Dimension, data.StoredRows);
        var partitions = Math.Min(settings.Partitions, n);
        var parts = Enumerable.Range(0, partitions).Select(p =>
        {
            var (from, to) = ((int)((long)p * n / partitions), (int)((long)(p + 1) * n / partitions));
            return new PartitionRows(p, data.Stored[(from * d)..(to * d)], to - from);
        }).ToArray();
        var (done, perSilo) = (0, new Dictionary<string, int>());
        var clock = Stopwatch.StartNew();
        int? killed = null;
        Task? kill = null;
        var fit = new SynchronousProgress<PartitionSum>(part =>
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
        clock.Restart();
        var sharded = ShardedFit.FitAsync(grains, memoryId, d, options, parts, fit).GetAwaiter().GetResult();
        var fitSeconds = clock.Elapsed.TotalSeconds;
        kill?.GetAwaiter().GetResult();
        log($"sharded fit: {fitSeconds:F2} s, {sharded.Count} rows");

        var (expected, actual) = (single.Memory.ToArray(), sharded.Memory.ToArray());
        var scale = expected.Max(Math.Abs);
        var maxRelDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
        var sentPerPartition = serializer.SerializeToArray(new PartitionSum(0, actual, n / partitions, perSilo.Keys.First())).Length;

        var (queries, clamped) = Occlude(data);
        var retrieval = new RetrievalOptions();
        var served = ServedMemory.OpenAsync(grains, memoryId, lanes: silos.Count(s => !s.HasExited)).GetAwaiter().GetResult();
        clock.Restart();
        served.RetrieveAsync(queries, data.QueryRows, retrieval, clamped).GetAwaiter().GetResult();
        var coldSeconds = clock.Elapsed.TotalSeconds;
        progress("retrieve", 1, 3);
        clock.Restart();
        var fromCluster = served.RetrieveAsync(queries, data.QueryRows, retrieval, clamped).GetAwaiter().GetResult();
        var clusterSeconds = clock.Elapsed.TotalSeconds;
        progress("retrieve", 2, 3);
        clock.Restart();
        var local = single.Retrieve(queries, data.QueryRows, retrieval, clamped);
        var localSeconds = clock.Elapsed.TotalSeconds;
        progress("retrieve", 3, 3);
        log($"retrieval of {data.QueryRows} occluded images: cluster {clusterSeconds:F2} s (cold {coldSeconds:F2} s), in-process {localSeconds:F2} s");

        // One query alone: served in one call, descended in-process, and with one cluster round trip per step (OrleansBackend).
        var (one, oneClamped) = (queries[..d], clamped[..d]);
        var stepBackend = new OrleansBackend(grains, 1);
        var oneServed = MedianMilliseconds(() => served.RetrieveAsync(one, 1, retrieval, oneClamped).GetAwaiter().GetResult());
        var oneSingle = MedianMilliseconds(() => single.Retrieve(one, 1, retrieval, oneClamped));
        var steps = single.Retrieve(one, 1, retrieval, oneClamped).Steps[0];
        var oneBackend = MedianMilliseconds(() => single.Retrieve(one, 1, retrieval, oneClamped, stepBackend));
        log($"one query ({steps} steps): served {oneServed:F1} ms, in-process {oneSingle:F1} ms, a round trip per step {oneBackend:F1} ms");

        return new Dictionary<string, object?>
        {
            ["command"] = "scale-out",
            ["host"] = HostProcessor.Describe(),
            ["data"] = data.Source,
            ["silos"] = settings.Silos,
            ["rows"] = n,
            ["partitions"] = partitions,
            ["dimension"] = d,
            ["features"] = options.FeatureCount,
            ["beta"] = options.Beta,
            ["fit_seconds"] = fitSeconds,
            ["rows_per_second"] = n / fitSeconds,
            ["single_fit_seconds"] = singleSeconds,
            ["single_rows_per_second"] = n / singleSeconds,
            ["partitions_per_silo"] = perSilo.Values.Order().ToArray(),
            ["t_values_per_partition"] = actual.Length,
            ["bytes_sent_per_partition"] = sentPerPartition,
            ["bytes_of_rows_per_partition"] = (long)n / partitions * d * sizeof(float),
            ["t_max_rel_diff_vs_single"] = maxRelDiff,
            ["queries"] = data.QueryRows,
            ["mse_cluster"] = HiddenMse(fromCluster.States, data, clamped),
            ["mse_single"] = HiddenMse(local.States, data, clamped),
            ["retrieve_seconds_cluster"] = clusterSeconds,
            ["retrieve_seconds_cluster_cold"] = coldSeconds,
            ["retrieve_seconds_single"] = localSeconds,
            ["one_query_steps"] = steps,
            ["one_query_ms_served"] = oneServed,
            ["one_query_ms_single"] = oneSingle,
            ["one_query_ms_round_trip_per_step"] = oneBackend,
            ["killed_silo"] = killed,
            ["lost_rows"] = Math.Max(0, n - sharded.Count),
            ["duplicate_rows"] = Math.Max(0, sharded.Count - n),
        };
    }

    // The median of five timed runs after one untimed one.
    private static double MedianMilliseconds(Action run)
    {
        run();
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    // The bottom half of each query image hidden (set to 0) and free to move; the top half clamped.
    private static (float[] Queries, bool[] Clamped) Occlude(ScaleOutData data)
    {
        var (d, width) = (data.Dimension, data.Width);
        var queries = (float[])data.Queries.Clone();
        var clamped = new bool[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            clamped[i] = i % d / width < d / width / 2;
            if (!clamped[i])
                queries[i] = 0;
        }
        return (queries, clamped);
    }

    private static double HiddenMse(float[] states, ScaleOutData data, bool[] clamped)
    {
        var (sum, count) = (0.0, 0);
        for (var i = 0; i < states.Length; i++)
        {
            if (clamped[i])
                continue;
            var e = states[i] - data.Queries[i];
            sum += e * e;
            count++;
        }
        return sum / count;
    }
}
