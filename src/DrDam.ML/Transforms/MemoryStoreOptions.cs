using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;

namespace DrDam.ML.Transforms;

/// <summary>
/// Settings of <c>mlContext.Transforms.AssociativeMemory.Store</c>. The memory is configured by the core
/// options themselves: a <see cref="MemoryMatrixOptions"/> builds MrDAM (the default), a
/// <see cref="DistributedMemoryOptions"/> builds DrDAM, so every core setting is reachable from a
/// pipeline. When the memory options leave β unset (<see cref="AssociativeMemoryOptions.IsBetaSet"/>),
/// the store chooses it from the data at fit time (<see cref="AutomaticBeta"/>).
/// </summary>
public sealed record MemoryStoreOptions
{
    private readonly AssociativeMemoryOptions memory = new MemoryMatrixOptions();
    private readonly RetrievalOptions retrieval = new();
    private readonly int batchSize = 128;

    /// <summary>The memory to build: <see cref="MemoryMatrixOptions"/> (MrDAM, default) or <see cref="DistributedMemoryOptions"/> (DrDAM).</summary>
    public AssociativeMemoryOptions Memory
    {
        get => memory;
        init => memory = value switch
        {
            null => throw new ArgumentNullException(nameof(Memory)),
            MemoryMatrixOptions or DistributedMemoryOptions => value,
            _ => throw new ArgumentException($"Memory must be MemoryMatrixOptions or DistributedMemoryOptions (got {value.GetType().Name}).", nameof(Memory)),
        };
    }

    /// <summary>Optional column whose value is kept with each MrDAM pattern and reported for the dominant memory.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>Default descent settings of the fitted store (changeable later without refitting).</summary>
    public RetrievalOptions Retrieval { get => retrieval; init => retrieval = value ?? throw new ArgumentNullException(nameof(Retrieval)); }

    /// <summary>Rows retrieved together (&gt; 0): the batch of the matrix–matrix steps. A row's outputs do not depend on it. Default 128.</summary>
    public int BatchSize { get => batchSize; init => batchSize = Guard.Positive(value, nameof(BatchSize)); }

    /// <summary>Whether the store is DrDAM (random features) rather than MrDAM.</summary>
    public bool IsDistributed => Memory is DistributedMemoryOptions;

    internal void ValidateCombination()
    {
        if (IsDistributed && LabelColumnName is not null)
            throw new ArgumentException("LabelColumnName needs a MemoryMatrixOptions memory: a DrDAM store does not keep its patterns.", nameof(LabelColumnName));
    }

    /// <summary>The memory for <paramref name="dimension"/>-long patterns, with β as given or as chosen from the data.</summary>
    internal IAssociativeMemory CreateMemory(int dimension, double beta) => Memory switch
    {
        MemoryMatrixOptions m => new MemoryMatrix(dimension, m with { Beta = beta }),
        DistributedMemoryOptions d => new DistributedMemory(dimension, d with { Beta = beta }),
        _ => throw new InvalidOperationException($"Unknown memory options {Memory.GetType().Name}."),
    };
}
