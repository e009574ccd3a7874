using System.Diagnostics;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Orleans;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>
/// The occluded test images of <c>scale-out</c> (bottom half hidden and free, top half clamped) retrieved through the
/// cluster's serving grains and in-process, with their hidden-pixel MSEs and times; and one query alone, served, in-process
/// and with one cluster round trip per step.
/// </summary>
internal sealed record RetrievalComparison(double MseCluster, double MseSingle, double ClusterSeconds, double ClusterColdSeconds, double SingleSeconds,
    int OneQuerySteps, double OneServedMs, double OneSingleMs, double OneRoundTripPerStepMs)
{
    public static RetrievalComparison Run(ScaleOutData data, DistributedMemory single, IGrainFactory grains, string memoryId, int lanes,
        Action<string, int, int> progress, Action<string> log)
    {
        var (queries, clamped) = Occlude(data);
        var retrieval = new RetrievalOptions();
        var served = ServedMemory.OpenAsync(grains, memoryId, lanes).GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
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

        var d = data.Dimension;
        var (one, oneClamped) = (queries[..d], clamped[..d]);
        var stepBackend = new OrleansBackend(grains, 1);
        var oneServed = MedianMilliseconds(() => served.RetrieveAsync(one, 1, retrieval, oneClamped).GetAwaiter().GetResult());
        var oneSingle = MedianMilliseconds(() => single.Retrieve(one, 1, retrieval, oneClamped));
        var steps = single.Retrieve(one, 1, retrieval, oneClamped).Steps[0];
        var oneBackend = MedianMilliseconds(() => single.Retrieve(one, 1, retrieval, oneClamped, stepBackend));
        log($"one query ({steps} steps): served {oneServed:F1} ms, in-process {oneSingle:F1} ms, a round trip per step {oneBackend:F1} ms");
        return new RetrievalComparison(HiddenMse(fromCluster.States, data, clamped), HiddenMse(local.States, data, clamped),
            clusterSeconds, coldSeconds, localSeconds, steps, oneServed, oneSingle, oneBackend);
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
