using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms;

/// <summary>
/// Base of DrDam.ML's transformers: they add columns computed a batch of rows at a time, lazily as
/// cursors move, and serve single rows to PredictionEngine. Immutable and safe to use from many threads
/// (each cursor or row gets its own buffers). Not meant to be derived from outside this library.
/// </summary>
public abstract class RowBatchTransformer : ITransformer
{
    private protected RowBatchTransformer()
    {
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Mapping(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema))).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchDataView(input, Mapping(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => new BatchRowMapper(Mapping(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema))));

    void ICanSaveModel.Save(ModelSaveContext ctx) => Save(ctx);

    /// <summary>The new columns for an input schema; throws naming the column when the schema does not fit.</summary>
    private protected abstract BatchMapping Mapping(DataViewSchema inputSchema);

    /// <summary>Writes the transformer into an ML.NET model (its loader reads it back).</summary>
    private protected abstract void Save(ModelSaveContext ctx);
}
