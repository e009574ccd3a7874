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
        var small = FitAllocation.BytesPerPattern(2_000, ProjectionStorage.OnDemand) * 2_000;
        var large = FitAllocation.BytesPerPattern(20_000, ProjectionStorage.OnDemand) * 20_000;
        // Keeping the 18 000 extra patterns would cost 56 MB; the runtime itself (JIT, other threads) allocates some
        // tens of KB in a test process, so flat means "within 1 MB".
        Assert.InRange(large, 0.5 * small, small + (1 << 20));
        // T in double (2Y values) is the bulk of it.
        Assert.InRange(small, 2.0 * 8 * BenchSettings.FitFeatures, 1 << 20);
        var cached = FitAllocation.BytesPerPattern(2_000, ProjectionStorage.Cached) * 2_000;
        Assert.True(cached >= 4.0 * BenchSettings.FitFeatures * BenchSettings.FitDimension, $"cached fit allocated {cached} bytes, less than Ω");
    }
}
