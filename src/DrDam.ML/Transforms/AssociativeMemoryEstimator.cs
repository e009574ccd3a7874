using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;

namespace DrDam.ML.Transforms;

/// <summary>
/// Fits a memory store by streaming one float-vector column once: a Matrix store keeps the rows
/// (and labels); a Distributed store only accumulates T, in O(Y + D) memory with on-demand Ω. The fitted
/// store retrieves from <see cref="RetrievalColumns.Query"/> (by default the stored column itself),
/// clamping the coordinates its mask marks as known. Created by <c>mlContext.Transforms.AssociativeMemory.Store(...)</c>.
/// </summary>
public sealed class AssociativeMemoryEstimator : IEstimator<AssociativeMemoryTransformer>
{
    internal AssociativeMemoryEstimator(RetrievalColumns columns, string inputColumnName, MemoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateCombination();
        (Columns, InputColumnName, Options) = (columns, inputColumnName, options);
    }

    /// <summary>The column whose rows are stored.</summary>
    public string InputColumnName { get; }

    /// <summary>The columns the fitted store reads (query, mask) and writes.</summary>
    public RetrievalColumns Columns { get; }

    /// <summary>The store's settings.</summary>
    public MemoryStoreOptions Options { get; }

    /// <inheritdoc/>
    public AssociativeMemoryTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dimension = SchemaCheck.FloatVector(SchemaCheck.Find(input.Schema, InputColumnName, "Store"), "Store");
        var beta = Options.Memory.IsBetaSet ? Options.Memory.Beta : ChooseBeta(input, dimension);
        var memory = Options.CreateMemory(dimension, beta);
        var labels = Options.LabelColumnName is null ? null : new List<string>();
        MemoryStoreFit.Stream(input, InputColumnName, Options.LabelColumnName, memory, labels);
        if (memory.Count == 0)
            throw Empty(nameof(input));
        return new AssociativeMemoryTransformer(new StoredMemory(memory, labels), Columns, Options.Retrieval, Options.BatchSize, InputColumnName, Options.LabelColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, InputColumnName, "Store"), "Store");
        if (Columns.Query != InputColumnName)
            SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, Columns.Query, "Query"), "Query");
        if (Columns.Mask is { } mask)
            SchemaCheck.FindShape(inputSchema, mask, "Mask");
        if (Options.LabelColumnName is { } label)
            SchemaCheck.FindShape(inputSchema, label, "Label");
        var trace = Options.Retrieval.RecordEnergyTrace ? Options.Retrieval.MaxSteps + 1 : (int?)null;
        return SchemaCheck.With(inputSchema, Columns.Outputs(0, !Options.IsDistributed, Options.LabelColumnName is not null, trace).Select(SchemaCheck.Shape));
    }

    private ArgumentException Empty(string parameter) => new($"Column '{InputColumnName}' has no rows to store: the memory would be empty.", parameter);

    // A seeded sample of the rows, read in one pass before the fit (a DrDAM memory needs β before its first pattern).
    private double ChooseBeta(IDataView input, int dimension)
    {
        var distributed = Options.Memory as DistributedMemoryOptions;
        var (sample, rows) = MemoryStoreFit.Sample(input, InputColumnName, dimension, AutomaticBeta.SampleSize, distributed?.Seed ?? 0);
        if (rows == 0)
            throw Empty(nameof(input));
        var patterns = sample.AsSpan(0, rows * dimension);
        try
        {
            return distributed is null
                ? AutomaticBeta.ForMatrix(patterns, rows, dimension)
                : AutomaticBeta.ForDistributed(patterns, rows, dimension);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Column '{InputColumnName}': {e.Message}", nameof(input), e);
        }
    }
}
