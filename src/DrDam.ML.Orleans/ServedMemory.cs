using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Orleans.Grains;

namespace DrDam.ML.Orleans;

/// <summary>
/// Retrieval from a DrDAM memory that lives on the cluster (fitted with <see cref="ShardedFit"/>), served by
/// <see cref="IRetrievalGrain"/> stateless workers: a query batch is split over <see cref="Lanes"/> lanes that reach
/// different gateways, and each silo serves its share from its own copy of T and Ω. Only queries and answers travel.
/// </summary>
public sealed class ServedMemory
{
    private readonly IGrainFactory grains;

    private ServedMemory(IGrainFactory grains, string memoryId, int dimension, long count, long version, int lanes)
        => (this.grains, MemoryId, Dimension, Count, Version, Lanes) = (grains, memoryId, dimension, count, version, lanes);

    /// <summary>The memory grain's key.</summary>
    public string MemoryId { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>Rows stored.</summary>
    public long Count { get; }

    /// <summary>The memory's version when opened: serving fails rather than answer from a memory that changed since.</summary>
    public long Version { get; }

    /// <summary>How often a lane is tried before the batch fails (a lane is stateless, so a retry is safe).</summary>
    public const int Attempts = 4;

    /// <summary>How many parts a query batch is split into.</summary>
    public int Lanes { get; }

    /// <summary>Opens memory <paramref name="memoryId"/> for retrieval, split over <paramref name="lanes"/> lanes (one per silo is a good start).</summary>
    /// <exception cref="InvalidOperationException">The memory is empty.</exception>
    /// <exception cref="ArgumentException">The id contains '#'.</exception>
    public static async Task<ServedMemory> OpenAsync(IGrainFactory grains, string memoryId, int lanes = 1)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(memoryId);
        if (memoryId.Contains('#'))
            throw new ArgumentException($"memoryId '{memoryId}' contains '#', which separates a memory id from its serving lane; choose an id without it.", nameof(memoryId));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lanes);
        // A read, so safe to repeat: the memory grain may be reactivating after the silo that held it died.
        var (dimension, count, version) = await ClusterRetry.Run(() => grains.GetGrain<IMemoryGrain>(memoryId).DescribeAsync(), Attempts);
        if (count == 0)
            throw new InvalidOperationException($"Memory '{memoryId}' is empty: fit it before serving retrieval from it.");
        return new ServedMemory(grains, memoryId, dimension, count, version, lanes);
    }

    /// <summary>Descends from <paramref name="count"/> queries (row-major count×D) on the cluster.</summary>
    /// <param name="queries">Initial states.</param>
    /// <param name="count">How many.</param>
    /// <param name="options">Descent settings; defaults when null.</param>
    /// <param name="clamped">Optional count×D mask of coordinates that must not move.</param>
    /// <exception cref="InvalidOperationException">A lane failed <see cref="Attempts"/> times, naming it: there is never a partial answer.</exception>
    public async Task<RetrievalResult> RetrieveAsync(float[] queries, int count, RetrievalOptions? options = null, bool[]? clamped = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (queries.Length != count * Dimension)
            throw new ArgumentException($"queries must hold count×Dimension = {count}×{Dimension} = {count * Dimension} values (got {queries.Length}).", nameof(queries));
        if (clamped is not null && clamped.Length != queries.Length)
            throw new ArgumentException($"clamped must hold one flag per query value ({queries.Length}), got {clamped.Length}.", nameof(clamped));
        options ??= new RetrievalOptions();
        var d = Dimension;
        var lanes = Math.Max(1, Math.Min(Lanes, count));
        var answers = await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
        {
            var (from, to) = (lane * count / lanes, (lane + 1) * count / lanes);
            var request = new RetrievalRequest(queries[(from * d)..(to * d)], clamped is null ? [] : clamped[(from * d)..(to * d)], to - from,
                options.StepSize, options.MaxSteps, options.Tolerance);
            var key = $"{MemoryId}#{lane}";
            try
            {
                return (from, await ClusterRetry.Run(() => grains.GetGrain<IRetrievalGrain>(key).RetrieveAsync(Version, request), Attempts));
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException($"Serving lane '{key}' failed ({e.GetType().Name}: {e.Message}); the batch has no partial answer.", e);
            }
        }));
        var result = new RetrievalResult(count, d, new float[count * d], recordTrace: false);
        foreach (var (from, answer) in answers)
        {
            answer.States.CopyTo(result.States, from * d);
            answer.Energies.CopyTo(result.Energies, from);
            answer.Steps.CopyTo(result.Steps, from);
            answer.Converged.CopyTo(result.Converged, from);
        }
        return result;
    }
}
