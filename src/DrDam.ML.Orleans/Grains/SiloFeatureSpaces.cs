using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// φ's random map (Ω and the phases) per memory settings, kept once per silo process and shared by every fit and
/// serving activation on it, so that a silo generates Ω once however many partitions or batches it handles.
/// Ω is cached when it takes at most <see cref="CachedBytes"/>, regenerated block by block otherwise. At most
/// <see cref="Capacity"/> maps are kept; the least recently used goes first.
/// </summary>
internal static class SiloFeatureSpaces
{
    public const int Capacity = 4;

    public const long CachedBytes = 1L << 30;

    private static readonly Dictionary<DistributedMemorySettings, (FeatureSpace Features, long Used)> Spaces = [];
    private static long clock;

    public static FeatureSpace For(DistributedMemorySettings settings)
    {
        lock (Spaces)
        {
            if (Spaces.TryGetValue(settings, out var kept))
            {
                Spaces[settings] = kept with { Used = ++clock };
                return kept.Features;
            }
        }
        var storage = (long)settings.FeatureCount * settings.Dimension * sizeof(float) <= CachedBytes ? ProjectionStorage.Cached : ProjectionStorage.OnDemand;
        var features = new FeatureSpace(settings.Dimension, settings.ToOptions(storage)); // outside the lock: generating Ω takes a while
        lock (Spaces)
        {
            if (Spaces.TryGetValue(settings, out var raced))
                return raced.Features;
            if (Spaces.Count >= Capacity)
                Spaces.Remove(Spaces.MinBy(s => s.Value.Used).Key);
            Spaces[settings] = (features, ++clock);
            return features;
        }
    }
}
