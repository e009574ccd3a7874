using Orleans.Runtime;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IMemoryGrain"/>
/// <remarks>
/// Its own state is the index: the settings, T's length, the rows per partition and the version. Each part lives in
/// its <see cref="IMemoryPartGrain"/>, written before the index names it, so the index never names a missing part.
/// </remarks>
[GrainType("drdam.memory")]
internal sealed class MemoryGrain([PersistentState("memory", ShardedFit.GrainStorage)] IPersistentState<MemoryGrain.State> state) : Grain, IMemoryGrain
{
    private (long Version, double[] Sum)? summed;

    public async Task SubmitAsync(DistributedMemorySettings settings, PartitionSum part)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(part);
        if (state.State.Settings is { } mine)
            mine.RequireSame(settings);
        if (state.State.Length is { } length && part.Memory.Length != length)
            throw new ArgumentException($"Partition {part.Partition} sends T of {part.Memory.Length} values, the memory's has {length}.", nameof(part));
        await Part(part.Partition).StoreAsync(part);
        state.State.Settings = settings;
        state.State.Length = part.Memory.Length;
        state.State.Rows[part.Partition] = part.Count;
        state.State.Version++;
        await state.WriteStateAsync();
    }

    public async Task ClearAsync()
    {
        await Task.WhenAll(state.State.Rows.Keys.Select(p => Part(p).ClearAsync()));
        await state.ClearStateAsync();
        state.State = new State();
        summed = null;
    }

    public Task<(int Dimension, long Count, long Version)> DescribeAsync()
        => Task.FromResult((state.State.Settings?.Dimension ?? 0, state.State.Rows.Values.Sum(), state.State.Version));

    public async Task<MemorySnapshot> GetAsync()
    {
        var index = state.State;
        if (summed is not { } cached || cached.Version != index.Version)
        {
            var parts = await Task.WhenAll(index.Rows.Keys.Select(p => Part(p).GetAsync()));
            var sum = new double[index.Length ?? 0];
            foreach (var part in parts) // the index is a SortedDictionary: partition-id order, so the sum does not depend on arrival
            {
                var values = (part ?? throw new InvalidOperationException($"Memory '{this.GetPrimaryKeyString()}' lists a partition whose part is missing from storage.")).Memory;
                for (var i = 0; i < sum.Length; i++)
                    sum[i] += values[i];
            }
            summed = cached = (index.Version, sum);
        }
        return new MemorySnapshot(index.Settings, cached.Sum, index.Rows.Values.Sum(), [.. index.Rows.Keys], index.Version);
    }

    private IMemoryPartGrain Part(int partition) => GrainFactory.GetGrain<IMemoryPartGrain>($"{this.GetPrimaryKeyString()}/{partition}");

    /// <summary>The grain's stored state: the index of the parts.</summary>
    [GenerateSerializer, Alias("drdam.memory-state")]
    public sealed class State
    {
        /// <summary>The settings every part was built with (null before the first).</summary>
        [Id(0)] public DistributedMemorySettings? Settings { get; set; }

        /// <summary>T's length (null before the first part).</summary>
        [Id(1)] public int? Length { get; set; }

        /// <summary>Rows per partition id, in id order.</summary>
        [Id(2)] public SortedDictionary<int, long> Rows { get; set; } = [];

        /// <summary>Submits so far.</summary>
        [Id(3)] public long Version { get; set; }
    }
}
