using DrDam.ML.Memory.Features;
using DrDam.ML.Samples.Benchmarking;
using DrDam.ML.Tests.Samples;

namespace DrDam.ML.Tests.Samples.Benchmarking;

/// <summary>Counts the process's allocated bytes, so it runs in the collection that runs alone.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FitAllocationTests
{
    [Fact]
    public void OnDemandFitAllocatesTheSameWhateverKAndCachedAddsOmegaOnce()
    {
        // BytesPerPattern reports the least of three fits: other threads can only add to the process-wide counter.
        static double Least(int count, ProjectionStorage storage) => FitAllocation.BytesPerPattern(count, storage) * count;
        var small = Least(2_000, ProjectionStorage.OnDemand);
        var large = Least(20_000, ProjectionStorage.OnDemand);
        // Keeping the 18 000 extra patterns would cost 56 MB; the runtime itself (JIT, other threads) allocates some
        // tens of KB in a test process, so flat means "within 1 MB".
        Assert.InRange(large, 0.5 * small, small + (1 << 20));
        // T in double (2Y values) is the bulk of it.
        Assert.InRange(small, 2.0 * 8 * BenchSettings.FitFeatures, 1 << 20);
        var cached = Least(2_000, ProjectionStorage.Cached);
        Assert.True(cached >= 4.0 * BenchSettings.FitFeatures * BenchSettings.FitDimension, $"cached fit allocated {cached} bytes, less than Ω");
    }
}
