using Orleans.Runtime;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IMemoryGrain"/>
[GrainType("drdam.memory")]
internal sealed class MemoryGrain([PersistentState("memory", ShardedFit.GrainStorage)] IPersistentState<MemoryGrain.State> state) : Grain, IMemoryGrain
{
    public async Task SubmitAsync(DistributedMemorySettings settings, PartitionSum part)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(part);
        if (state.State.Settings is { } mine)
            mine.RequireSame(settings);
        var length = part.Memory.Length;
        if (state.State.Parts.Values.FirstOrDefault() is { } first && first.Memory.Length != length)
            throw new ArgumentException($"Partition {part.Partition} sends T of {length} values, the memory's has {first.Memory.Length}.", nameof(part));
        state.State.Settings = settings;
        state.State.Parts[part.Partition] = part;
        state.State.Version++;
        await state.WriteStateAsync();
    }

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new State();
    }

    public Task<(int Dimension, long Count, long Version)> DescribeAsync()
        => Task.FromResult((state.State.Settings?.Dimension ?? 0, state.State.Parts.Values.Sum(p => p.Count), state.State.Version));

    public Task<MemorySnapshot> GetAsync()
    {
        var parts = state.State.Parts;
        var sum = new double[parts.Values.FirstOrDefault()?.Memory.Length ?? 0];
        long count = 0;
        foreach (var (_, part) in parts) // a SortedDictionary: partition-id order, so the sum does not depend on arrival
        {
            for (var i = 0; i < sum.Length; i++)
                sum[i] += part.Memory[i];
            count += part.Count;
        }
        return Task.FromResult(new MemorySnapshot(state.State.Settings, sum, count, [.. parts.Keys], state.State.Version));
    }

    /// <summary>The grain's stored state.</summary>
    [GenerateSerializer, Alias("drdam.memory-state")]
    public sealed class State
    {
        /// <summary>The settings every part was built with (null before the first).</summary>
        [Id(0)] public DistributedMemorySettings? Settings { get; set; }

        /// <summary>The parts by partition id.</summary>
        [Id(1)] public SortedDictionary<int, PartitionSum> Parts { get; set; } = [];

        /// <summary>Submits so far.</summary>
        [Id(2)] public long Version { get; set; }
    }
}
