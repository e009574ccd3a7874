using DrDam.ML.Memory;

namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// The memories this silo process serves, one copy per memory id (the newest version asked for), shared by every
/// serving activation (their Ω comes from <see cref="SiloFeatureSpaces"/>). At most <see cref="Capacity"/> memories are
/// kept; the one used least recently goes first (it is fetched again if asked for).
/// </summary>
internal static class ServedMemories
{
    public const int Capacity = 4;

    private static readonly Dictionary<string, (long Version, DistributedMemory Memory, long Used)> Memories = [];
    private static long clock;

    public static DistributedMemory? Find(string id, long version)
    {
        lock (Memories)
        {
            if (!Memories.TryGetValue(id, out var served) || served.Version != version)
                return null;
            Memories[id] = served with { Used = ++clock };
            return served.Memory;
        }
    }

    public static DistributedMemory Keep(string id, long version, DistributedMemory memory)
    {
        lock (Memories)
        {
            if (Memories.TryGetValue(id, out var served) && served.Version >= version)
                return served.Version == version ? served.Memory : memory;
            if (!Memories.ContainsKey(id) && Memories.Count >= Capacity)
                Memories.Remove(Memories.MinBy(m => m.Value.Used).Key);
            Memories[id] = (version, memory, ++clock);
            return memory;
        }
    }
}
