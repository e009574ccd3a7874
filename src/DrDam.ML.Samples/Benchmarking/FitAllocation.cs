using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// Managed bytes allocated by a DrDAM fit over K streamed patterns, divided by K. With on-demand Ω
/// the fit holds only T and one block of Ω whatever K is, so the total stays flat and the bytes per
/// pattern fall as 1/K; a cached Ω adds 4·Y·D bytes once. The allocation counter is process-wide and other
/// threads (JIT, GC, timers of other components) can only add to it, so the least of three fits is reported.
/// </summary>
internal static class FitAllocation
{
    public static double BytesPerPattern(int count, ProjectionStorage storage)
        => Enumerable.Range(0, 3).Min(_ => Measure(count, storage));

    private static double Measure(int count, ProjectionStorage storage)
    {
        var (d, chunk) = (BenchSettings.FitDimension, BenchSettings.FitChunk);
        var patterns = new float[chunk * d];
        var random = new Random(3);
        for (var i = 0; i < patterns.Length; i++)
            patterns[i] = (float)(random.NextDouble() / Math.Sqrt(d));
        var options = new DistributedMemoryOptions { Beta = 10, FeatureCount = BenchSettings.FitFeatures, ProjectionStorage = storage };
        Warm(options, patterns);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var memory = new DistributedMemory(d, options);
        for (var added = 0; added < count; added += chunk)
            memory.AddRange(patterns.AsMemory(0, Math.Min(chunk, count - added) * d), Math.Min(chunk, count - added));
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        GC.KeepAlive(memory);
        return (double)bytes / count;
    }

    // One chunk's fit first, so that JIT compilation, the worker pool's start and the product's
    // per-thread packing buffers are not counted.
    private static void Warm(DistributedMemoryOptions options, float[] patterns)
        => new DistributedMemory(BenchSettings.FitDimension, options).AddRange(patterns, BenchSettings.FitChunk);
}
