using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using Orleans.Concurrency;

namespace DrDam.ML.Orleans.Grains;

/// <inheritdoc cref="IRetrievalGrain"/>
[StatelessWorker(1), GrainType("drdam.retrieval")]
internal sealed class RetrievalGrain : Grain, IRetrievalGrain
{
    // The memories this silo serves, by id and version, shared by every serving activation (Ω comes from
    // SiloFeatureSpaces); an older version is simply never asked for again and ages out.
    private static readonly SiloCache<(string Id, long Version), DistributedMemory> Served = new(capacity: 4);

    private string MemoryId => this.GetPrimaryKeyString().Split('#')[0];

    public async Task<RetrievalAnswer> RetrieveAsync(long version, RetrievalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var memory = await Memory(version);
        var options = new RetrievalOptions { StepSize = request.StepSize, MaxSteps = request.MaxSteps, Tolerance = request.Tolerance };
        var result = memory.Retrieve(request.Queries, request.Rows, options, request.Clamped);
        return new RetrievalAnswer(result.States, result.Energies, result.Steps, result.Converged);
    }

    public async Task<ShardStep> EvaluateAsync(long version, float[] states, int rows)
    {
        var (energies, gradients) = (await Memory(version)).EnergyAndGradient(states, rows);
        return new ShardStep(energies, gradients);
    }

    private async Task<DistributedMemory> Memory(long version)
    {
        var id = MemoryId;
        if (Served.Find((id, version)) is { } served)
            return served;
        var snapshot = await GrainFactory.GetGrain<IMemoryGrain>(id).GetAsync();
        if (snapshot.Settings is not { } settings || snapshot.Count == 0)
            throw new InvalidOperationException($"Memory '{id}' is empty: fit it before serving retrieval from it.");
        if (snapshot.Version != version)
            throw new InvalidOperationException($"Memory '{id}' is at version {snapshot.Version}, not the {version} asked for: it changed since the caller read it.");
        var memory = new DistributedMemory(SiloFeatureSpaces.For(settings));
        memory.Restore(snapshot.Memory, [], snapshot.Count);
        return Served.Add((id, version), memory);
    }
}
