using System.Diagnostics;
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
        var fit = ClusterFit.Run(settings, data, options, grains, silos, progress, log);
        var (expected, actual) = (single.Memory.ToArray(), fit.Memory.Memory.ToArray());
        var maxRelDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / expected.Max(Math.Abs);
        var sentPerPartition = serializer.SerializeToArray(new PartitionSum(0, actual, n / fit.Partitions, fit.PartitionsPerSilo.Keys.First())).Length;
        var retrieval = RetrievalComparison.Run(data, single, grains, fit.MemoryId, lanes: silos.Count(s => !s.HasExited), progress, log);
        return new Dictionary<string, object?>
        {
            ["command"] = "scale-out",
            ["host"] = HostProcessor.Describe(),
            ["data"] = data.Source,
            ["silos"] = settings.Silos,
            ["rows"] = n,
            ["partitions"] = fit.Partitions,
            ["dimension"] = d,
            ["features"] = options.FeatureCount,
            ["beta"] = options.Beta,
            ["fit_seconds"] = fit.Seconds,
            ["rows_per_second"] = n / fit.Seconds,
            ["single_fit_seconds"] = singleSeconds,
            ["single_rows_per_second"] = n / singleSeconds,
            ["partitions_per_silo"] = fit.PartitionsPerSilo.Values.Order().ToArray(),
            ["t_values_per_partition"] = actual.Length,
            ["bytes_sent_per_partition"] = sentPerPartition,
            ["bytes_of_rows_per_partition"] = (long)n / fit.Partitions * d * sizeof(float),
            ["t_max_rel_diff_vs_single"] = maxRelDiff,
            ["queries"] = data.QueryRows,
            ["mse_cluster"] = retrieval.MseCluster,
            ["mse_single"] = retrieval.MseSingle,
            ["retrieve_seconds_cluster"] = retrieval.ClusterSeconds,
            ["retrieve_seconds_cluster_cold"] = retrieval.ClusterColdSeconds,
            ["retrieve_seconds_single"] = retrieval.SingleSeconds,
            ["one_query_steps"] = retrieval.OneQuerySteps,
            ["one_query_ms_served"] = retrieval.OneServedMs,
            ["one_query_ms_single"] = retrieval.OneSingleMs,
            ["one_query_ms_round_trip_per_step"] = retrieval.OneRoundTripPerStepMs,
            ["killed_silo"] = fit.KilledSilo,
            ["lost_rows"] = Math.Max(0, n - fit.Memory.Count),
            ["duplicate_rows"] = Math.Max(0, fit.Memory.Count - n),
        };
    }
}
