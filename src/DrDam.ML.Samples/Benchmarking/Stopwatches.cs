using System.Diagnostics;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>Times a repeated operation: one warm-up call, then calls until the budget is spent (at least three); the median call.</summary>
internal static class Stopwatches
{
    public static double MedianSeconds(Action call, TimeSpan budget)
    {
        call();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || total.Elapsed < budget)
        {
            var watch = Stopwatch.StartNew();
            call();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
