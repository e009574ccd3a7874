namespace DrDam.ML.Memory.Dynamics;

/// <summary>The outcome of retrieval for a batch of queries.</summary>
public sealed class RetrievalResult
{
    internal RetrievalResult(int count, int dimension, float[] states, bool recordTrace)
    {
        Count = count;
        Dimension = dimension;
        States = states;
        Energies = new double[count];
        Steps = new int[count];
        Converged = new bool[count];
        EnergyTrace = recordTrace ? new List<double>[count] : null;
    }

    /// <summary>Number of queries.</summary>
    public int Count { get; }

    /// <summary>D.</summary>
    public int Dimension { get; }

    /// <summary>Final states, row-major Count×D.</summary>
    public float[] States { get; }

    /// <summary>E at each final state.</summary>
    public double[] Energies { get; }

    /// <summary>Descent steps taken by each query.</summary>
    public int[] Steps { get; }

    /// <summary>Whether each query met the tolerance before the step limit.</summary>
    public bool[] Converged { get; }

    /// <summary>When requested: each query's energy at x⁽⁰⁾, x⁽¹⁾, … up to its final state.</summary>
    public IReadOnlyList<double>[]? EnergyTrace { get; }

    /// <summary>Final state of query <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> State(int index) => States.AsSpan(index * Dimension, Dimension);
}
