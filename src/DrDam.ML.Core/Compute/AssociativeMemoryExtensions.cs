using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;

namespace DrDam.ML.Compute;

/// <summary>Retrieval and energy evaluation on a memory through a compute backend (the managed one by default).</summary>
public static class AssociativeMemoryExtensions
{
    /// <summary>The batch size used when none is given: rows evaluated together per matrix product.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>Descends the energy from <paramref name="count"/> queries (row-major count×D).</summary>
    /// <param name="memory">The memory to retrieve from.</param>
    /// <param name="queries">Initial states, row-major count×D.</param>
    /// <param name="count">Number of queries.</param>
    /// <param name="options">Descent settings; defaults when null.</param>
    /// <param name="clamped">Optional count×D mask of coordinates that must not move.</param>
    /// <param name="backend">Where to compute; <see cref="ManagedBackend"/> when null.</param>
    public static RetrievalResult Retrieve(this IAssociativeMemory memory, ReadOnlySpan<float> queries, int count,
        RetrievalOptions? options = null, ReadOnlySpan<bool> clamped = default, IComputeBackend? backend = null)
    {
        using var evaluator = (backend ?? ManagedBackend.Instance).CreateEvaluator(memory, Math.Clamp(count, 1, DefaultBatchSize));
        return new RetrievalDynamics(options ?? new RetrievalOptions()).Run(evaluator, queries, count, clamped);
    }

    /// <summary>E(x) and ∇E(x) of <paramref name="count"/> states (row-major count×D).</summary>
    public static (double[] Energies, float[] Gradients) EnergyAndGradient(this IAssociativeMemory memory, ReadOnlySpan<float> states, int count, IComputeBackend? backend = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var d = memory.Dimension;
        if (states.Length != count * d)
            throw new ArgumentException($"states must hold count×Dimension = {count}×{d} = {count * d} values (got {states.Length}).", nameof(states));
        var batch = Math.Clamp(count, 1, DefaultBatchSize);
        using var evaluator = (backend ?? ManagedBackend.Instance).CreateEvaluator(memory, batch);
        var energies = new double[count];
        var gradients = new float[count * d];
        for (var first = 0; first < count; first += batch)
        {
            var rows = Math.Min(batch, count - first);
            evaluator.Evaluate(states.Slice(first * d, rows * d), rows, energies.AsSpan(first, rows), gradients.AsSpan(first * d, rows * d));
        }
        return (energies, gradients);
    }
}
