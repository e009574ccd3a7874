using Microsoft.ML.Data;

namespace DrDam.ML.Transforms;

/// <summary>
/// The columns a retrieval reads and writes. Besides <see cref="Output"/> (the retrieved vector) it
/// writes <c>Output + "Energy"</c> (double), <c>"Steps"</c> (int), <c>"Converged"</c> (bool), and for
/// a Matrix store <c>"MemoryIndex"</c> (int, 0-based), <c>"MemoryWeight"</c> (float) and, when the
/// store kept labels, <c>"MemoryLabel"</c> (text): the memory that dominates at the final state. With
/// <see cref="Memory.Dynamics.RetrievalOptions.RecordEnergyTrace"/> it also writes <c>"EnergyTrace"</c>:
/// the energy before each step, MaxSteps + 1 doubles, repeating the final energy once a row has stopped.
/// </summary>
/// <param name="Query">Input: the fixed-size float vector to retrieve from.</param>
/// <param name="Mask">Optional input: a bool or float vector of the same size, true (non-zero) where a coordinate is known and clamped.</param>
/// <param name="Output">Name of the retrieved vector.</param>
public sealed record RetrievalColumns(string Query, string? Mask, string Output)
{
    /// <summary>Name of the energy column.</summary>
    public string Energy => Output + "Energy";

    /// <summary>Name of the steps column.</summary>
    public string Steps => Output + "Steps";

    /// <summary>Name of the converged column.</summary>
    public string Converged => Output + "Converged";

    /// <summary>Name of the dominant memory's index column (Matrix stores).</summary>
    public string MemoryIndex => Output + "MemoryIndex";

    /// <summary>Name of the dominant memory's weight column (Matrix stores).</summary>
    public string MemoryWeight => Output + "MemoryWeight";

    /// <summary>Name of the energy-trace column (when the trace is recorded).</summary>
    public string EnergyTrace => Output + "EnergyTrace";

    /// <summary>Name of the dominant memory's label column (Matrix stores with labels).</summary>
    public string MemoryLabel => Output + "MemoryLabel";

    /// <summary>
    /// The one list of what a retrieval writes, in column order: the fitted mapping builds its schema from it
    /// and the estimators their SchemaShape (with <paramref name="dimension"/> 0 before the memory exists).
    /// </summary>
    internal (string Name, DataViewType Type)[] Outputs(int dimension, bool matrix, bool labels, int? traceLength)
    {
        var list = new List<(string, DataViewType)>
        {
            (Output, new VectorDataViewType(NumberDataViewType.Single, dimension)),
            (Energy, NumberDataViewType.Double),
            (Steps, NumberDataViewType.Int32),
            (Converged, BooleanDataViewType.Instance),
        };
        if (traceLength is { } length)
            list.Add((EnergyTrace, new VectorDataViewType(NumberDataViewType.Double, length)));
        if (matrix)
        {
            list.Add((MemoryIndex, NumberDataViewType.Int32));
            list.Add((MemoryWeight, NumberDataViewType.Single));
            if (labels)
                list.Add((MemoryLabel, TextDataViewType.Instance));
        }
        return [.. list];
    }
}
