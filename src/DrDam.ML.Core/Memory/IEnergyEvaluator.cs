namespace DrDam.ML.Memory;

/// <summary>
/// Batched energy and gradient of one memory, with its scratch space allocated once: evaluating
/// allocates nothing. Not thread-safe (one per thread); invalid once the memory changes.
/// </summary>
public interface IEnergyEvaluator : IDisposable
{
    /// <summary>D, the length of each state.</summary>
    int Dimension { get; }

    /// <summary>The most states one call may evaluate.</summary>
    int MaxBatch { get; }

    /// <summary>Writes E(x) and ∇E(x) for <paramref name="rows"/> states stored row-major in <paramref name="states"/>.</summary>
    void Evaluate(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients);
}
