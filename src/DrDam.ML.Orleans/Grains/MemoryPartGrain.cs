using Orleans.Runtime;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IMemoryPartGrain"/>
[GrainType("drdam.memory-part")]
internal sealed class MemoryPartGrain([PersistentState("part", ShardedFit.GrainStorage)] IPersistentState<MemoryPartGrain.State> state) : Grain, IMemoryPartGrain
{
    public async Task StoreAsync(PartitionSum part)
    {
        ArgumentNullException.ThrowIfNull(part);
        state.State.Part = part;
        await state.WriteStateAsync();
    }

    public Task<PartitionSum?> GetAsync() => Task.FromResult(state.State.Part);

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        state.State = new State();
    }

    /// <summary>The grain's stored state.</summary>
    [GenerateSerializer, Alias("drdam.memory-part-state")]
    public sealed class State
    {
        /// <summary>The part (null before the first store).</summary>
        [Id(0)] public PartitionSum? Part { get; set; }
    }
}
