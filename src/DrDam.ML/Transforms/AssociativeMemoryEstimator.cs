using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms;

/// <summary>
/// Fits a memory store by streaming one float-vector column once: a Matrix store keeps the rows
/// (and labels); a Distributed store only accumulates T, in O(Y + D) memory with on-demand Ω.
/// Created by <c>mlContext.Transforms.AssociativeMemory.Store(...)</c>.
/// </summary>
public sealed class AssociativeMemoryEstimator : IEstimator<AssociativeMemoryTransformer>
{
    internal AssociativeMemoryEstimator(string columnName, MemoryStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(columnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ColumnName = columnName;
        Options = options;
    }

    /// <summary>The column whose rows are stored (and, by default, retrieved from).</summary>
    public string ColumnName { get; }

    /// <summary>The store's settings.</summary>
    public MemoryStoreOptions Options { get; }

    private RetrievalColumns Columns => new(ColumnName, null, Options.OutputColumnName ?? ColumnName + "Retrieved");

    /// <inheritdoc/>
    public AssociativeMemoryTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dimension = SchemaCheck.FloatVector(SchemaCheck.Find(input.Schema, ColumnName, "Store"), "Store");
        var memory = Options.CreateMemory(dimension);
        var labels = Options.LabelColumnName is null ? null : new List<string>();
        MemoryStoreFit.Stream(input, ColumnName, Options.LabelColumnName, memory, labels);
        if (memory.Count == 0)
            throw new ArgumentException($"Column '{ColumnName}' has no rows to store: the memory would be empty.", nameof(input));
        return new AssociativeMemoryTransformer(new StoredMemory(memory, labels), Columns, Options.Retrieval, Options.BatchSize, ColumnName, Options.LabelColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, ColumnName, "Store"), "Store");
        var columns = Columns;
        var added = new List<SchemaShape.Column>
        {
            SchemaCheck.Vector(columns.Output, NumberDataViewType.Single),
            SchemaCheck.Scalar(columns.Energy, NumberDataViewType.Double),
            SchemaCheck.Scalar(columns.Steps, NumberDataViewType.Int32),
            SchemaCheck.Scalar(columns.Converged, BooleanDataViewType.Instance),
        };
        if (Options.Representation == MemoryRepresentation.Matrix)
        {
            added.Add(SchemaCheck.Scalar(columns.MemoryIndex, NumberDataViewType.Int32));
            added.Add(SchemaCheck.Scalar(columns.MemoryWeight, NumberDataViewType.Single));
            if (Options.LabelColumnName is { } label)
            {
                SchemaCheck.FindShape(inputSchema, label, "Label");
                added.Add(SchemaCheck.Scalar(columns.MemoryLabel, TextDataViewType.Instance));
            }
        }
        return SchemaCheck.With(inputSchema, added);
    }
}
