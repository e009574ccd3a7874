namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// A small per-silo-process cache shared by every activation on the silo: at most <see cref="Capacity"/> entries, the
/// one used least recently evicted first (it is built again if asked for). Values are built outside the lock; when two
/// callers race, the first one added wins and both get it.
/// </summary>
internal sealed class SiloCache<TKey, TValue>(int capacity) where TKey : notnull where TValue : class
{
    private readonly Dictionary<TKey, (TValue Value, long Used)> entries = [];
    private long clock;

    public int Capacity { get; } = capacity;

    public TValue? Find(TKey key)
    {
        lock (entries)
        {
            if (!entries.TryGetValue(key, out var entry))
                return null;
            entries[key] = entry with { Used = ++clock };
            return entry.Value;
        }
    }

    /// <summary>Adds <paramref name="value"/> unless the key is already there; returns the value kept.</summary>
    public TValue Add(TKey key, TValue value)
    {
        lock (entries)
        {
            if (entries.TryGetValue(key, out var raced))
                return raced.Value;
            if (entries.Count >= Capacity)
                entries.Remove(entries.MinBy(e => e.Value.Used).Key);
            entries[key] = (value, ++clock);
            return value;
        }
    }
}
