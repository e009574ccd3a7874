using Microsoft.ML;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>The lazy result of one of our transformers: the source plus the new columns, computed by batches as cursors move.</summary>
internal sealed class BatchDataView(IDataView source, BatchMapping mapping) : IDataView
{
    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => mapping.OutputSchema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToList();
        var requestedInputs = columns.Where(c => c.Index < mapping.InputSchema.Count).Select(c => mapping.InputSchema[c.Index]).ToList();
        var cursor = source.GetRowCursor(mapping.InputColumnsFor(columns), rand);
        return new BatchCursor(mapping, cursor, mapping.ActiveOutputs(columns), requestedInputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];
}
