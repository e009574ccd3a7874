namespace DrDam.ML.Orleans.Grains;

/// <summary>
/// Serves retrieval from a DrDAM memory kept by an <see cref="IMemoryGrain"/>. A stateless worker: it runs on the
/// silo that receives the call, and each silo keeps one copy of T and Ω per memory version, fetched from the memory
/// grain the first time it is asked for that version. Its key is the memory grain's key, optionally followed by
/// <c>#</c> and a lane number: different lanes reach different gateways, which spreads a batch over the silos.
/// </summary>
public interface IRetrievalGrain : IGrainWithStringKey
{
    /// <summary>Descends from <see cref="RetrievalRequest.Rows"/> queries to their retrieved states.</summary>
    /// <exception cref="InvalidOperationException">The memory is empty, or is no longer at <paramref name="version"/>.</exception>
    Task<RetrievalAnswer> RetrieveAsync(long version, RetrievalRequest request);

    /// <summary>E and ∇E of <paramref name="rows"/> states (row-major): one descent step's evaluation, for <see cref="OrleansBackend"/>.</summary>
    Task<ShardStep> EvaluateAsync(long version, float[] states, int rows);
}

/// <summary>Queries and descent settings for <see cref="IRetrievalGrain.RetrieveAsync"/>.</summary>
/// <param name="Queries">Initial states, row-major Rows×D.</param>
/// <param name="Clamped">Rows×D coordinates that must not move, or empty.</param>
/// <param name="Rows">How many queries.</param>
/// <param name="StepSize">The descent's step size.</param>
/// <param name="MaxSteps">Its step limit.</param>
/// <param name="Tolerance">Its convergence tolerance.</param>
[GenerateSerializer, Immutable, Alias("drdam.retrieval-request")]
public sealed record RetrievalRequest(
    [property: Id(0)] float[] Queries, [property: Id(1)] bool[] Clamped, [property: Id(2)] int Rows,
    [property: Id(3)] double StepSize, [property: Id(4)] int MaxSteps, [property: Id(5)] double Tolerance);

/// <summary>The retrieved states (row-major), their energies and how many steps each took.</summary>
[GenerateSerializer, Immutable, Alias("drdam.retrieval-answer")]
public sealed record RetrievalAnswer(
    [property: Id(0)] float[] States, [property: Id(1)] double[] Energies, [property: Id(2)] int[] Steps, [property: Id(3)] bool[] Converged);
