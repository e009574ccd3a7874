using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// φ's random map (Ω and the phases) per memory settings, kept once per silo process and shared by every fit and
/// serving activation on it, so that a silo generates Ω once however many partitions or batches it handles.
/// Ω is cached when it takes at most <see cref="CachedBytes"/>, regenerated block by block otherwise. At most four
/// maps are kept.
/// </summary>
internal static class SiloFeatureSpaces
{
    public const long CachedBytes = 1L << 30;

    private static readonly SiloCache<DistributedMemorySettings, FeatureSpace> Spaces = new(capacity: 4);

    public static FeatureSpace For(DistributedMemorySettings settings)
    {
        if (Spaces.Find(settings) is { } kept)
            return kept;
        var storage = (long)settings.FeatureCount * settings.Dimension * sizeof(float) <= CachedBytes ? ProjectionStorage.Cached : ProjectionStorage.OnDemand;
        return Spaces.Add(settings, new FeatureSpace(settings.Dimension, settings.ToOptions(storage))); // built outside the lock: generating Ω takes a while
    }
}
