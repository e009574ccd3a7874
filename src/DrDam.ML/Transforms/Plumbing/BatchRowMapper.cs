using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>
/// The one-row form of a <see cref="BatchMapping"/>, for PredictionEngine: each output row computes
/// a batch of one when its input row has moved, and serves input columns straight from the input row.
/// </summary>
internal sealed class BatchRowMapper(BatchMapping mapping) : IRowToRowMapper
{
    public DataViewSchema InputSchema => mapping.InputSchema;

    public DataViewSchema OutputSchema => mapping.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => mapping.InputColumnsFor(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new MappedRow(mapping, input, mapping.ActiveOutputs(activeColumns));

    private sealed class MappedRow : DataViewRow
    {
        private readonly BatchMapping mapping;
        private readonly DataViewRow input;
        private readonly bool[] activeOutputs;
        private readonly BatchState? state;
        private long computed = -1;

        public MappedRow(BatchMapping mapping, DataViewRow input, bool[] activeOutputs)
        {
            this.mapping = mapping;
            this.input = input;
            this.activeOutputs = activeOutputs;
            state = activeOutputs.Any(a => a) ? mapping.Bind(input, activeOutputs) : null;
        }

        public override DataViewSchema Schema => mapping.OutputSchema;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                state?.Dispose();
            base.Dispose(disposing);
        }

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index < mapping.InputSchema.Count ? input.IsColumnActive(input.Schema[column.Index]) : activeOutputs[column.Index - mapping.InputSchema.Count];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < mapping.InputSchema.Count)
                return input.GetGetter<TValue>(input.Schema[column.Index]);
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this row was created.");
            var inner = state!.Getter(column.Index - mapping.InputSchema.Count, static () => 0) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
            return (ref TValue value) =>
            {
                Refresh();
                inner(ref value);
            };
        }

        // Recompute once per input row: all output getters share the result.
        private void Refresh()
        {
            if (computed == input.Position && computed >= 0)
                return;
            state!.Capture(0, input.Position);
            state.Compute(1);
            computed = input.Position;
        }
    }
}
