using System.Diagnostics;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// Times a repeated operation: a warm-up of at least five calls and half the budget (the JIT promotes hot
/// loops to optimised code only after some calls), then calls until the budget is spent (at least three); the median call.
/// </summary>
internal static class Stopwatches
{
    public static double MedianSeconds(Action call, TimeSpan budget)
    {
        var warm = Stopwatch.StartNew();
        for (var calls = 0; calls < 5 || warm.Elapsed < budget / 2; calls++)
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
