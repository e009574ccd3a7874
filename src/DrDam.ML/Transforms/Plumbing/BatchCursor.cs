using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// A cursor that reads up to BatchSize input rows ahead, computes the new columns for all of them at
/// once, then serves them row by row; the input columns it serves come from per-batch buffers.
/// </summary>
internal sealed class BatchCursor : DataViewRowCursor
{
    private readonly BatchMapping mapping;
    private readonly DataViewRowCursor input;
    private readonly bool[] activeOutputs;
    private readonly BatchState? state;
    private readonly ColumnBuffer?[] inputBuffers;
    private readonly ValueGetter<DataViewRowId> inputIds;
    private readonly DataViewRowId[] ids;
    private readonly Func<int> currentSlot;
    private int slot = -1, filled;

    public BatchCursor(BatchMapping mapping, DataViewRowCursor input, bool[] activeOutputs, IEnumerable<DataViewSchema.Column> requestedInputs)
    {
        this.mapping = mapping;
        this.input = input;
        this.activeOutputs = activeOutputs;
        var batch = mapping.BatchSize;
        state = activeOutputs.Any(a => a) ? mapping.Bind(input, activeOutputs) : null;
        inputBuffers = new ColumnBuffer?[mapping.InputSchema.Count];
        foreach (var column in requestedInputs)
            inputBuffers[column.Index] = ColumnBuffer.Create(input, input.Schema[column.Index], batch);
        inputIds = input.GetIdGetter();
        ids = new DataViewRowId[batch];
        currentSlot = () => slot;
    }

    public override DataViewSchema Schema => mapping.OutputSchema;

    private long position = -1;

    public override long Position => position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (slot + 1 < filled)
        {
            slot++;
            position++;
            return true;
        }
        filled = 0;
        while (filled < mapping.BatchSize && input.MoveNext())
        {
            state?.Capture(filled, input.Position);
            foreach (var buffer in inputBuffers)
                buffer?.Capture(filled);
            inputIds(ref ids[filled]);
            filled++;
        }
        if (filled == 0)
        {
            slot = -1;
            return false;
        }
        state?.Compute(filled);
        slot = 0;
        position++;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = ids[slot];

    public override bool IsColumnActive(DataViewSchema.Column column)
        => column.Index < inputBuffers.Length ? inputBuffers[column.Index] is not null : activeOutputs[column.Index - inputBuffers.Length];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
        var getter = column.Index < inputBuffers.Length
            ? inputBuffers[column.Index]!.Getter(currentSlot)
            : state!.Getter(column.Index - inputBuffers.Length, currentSlot);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            state?.Dispose();
            input.Dispose();
        }
        base.Dispose(disposing);
    }
}
