using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>A row-by-row map of one float-vector column to a new vector and, optionally, a Boolean mask of the same size.</summary>
internal abstract class VectorMapping : BatchMapping
{
    private const int Batch = 64;
    private readonly DataViewSchema.Column input;
    private readonly (string, DataViewType)[] outputs;

    protected VectorMapping(DataViewSchema schema, string inputColumn, string outputColumn, string? maskColumn) : base(schema)
    {
        input = SchemaCheck.Find(schema, inputColumn, "Input");
        Dimension = SchemaCheck.FloatVector(input, "Input");
        DrDam.ML.Memory.MemoryLimits.Values((long)Batch * Dimension, sizeof(float), $"A batch of {Batch} rows of column '{inputColumn}' ({Dimension} values each)", "inputSchema");
        outputs = maskColumn is null
            ? [(outputColumn, new VectorDataViewType(NumberDataViewType.Single, Dimension))]
            : [(outputColumn, new VectorDataViewType(NumberDataViewType.Single, Dimension)), (maskColumn, new VectorDataViewType(BooleanDataViewType.Instance, Dimension))];
    }

    protected int Dimension { get; }

    public override IReadOnlyList<(string Name, DataViewType Type)> Outputs => outputs;

    public override int BatchSize => Batch;

    public override IEnumerable<DataViewSchema.Column> Dependencies(IReadOnlyList<bool> activeOutputs) => activeOutputs.Any(a => a) ? [input] : [];

    /// <summary>Writes the new vector (and mask, when there is one) of the row at <paramref name="position"/>.</summary>
    protected abstract void Map(ReadOnlySpan<float> values, long position, Span<float> output, Span<bool> mask, Span<float> scratch);

    public override BatchState Bind(DataViewRow row, IReadOnlyList<bool> activeOutputs) => new State(this, row);

    private sealed class State(VectorMapping mapping, DataViewRow row) : BatchState
    {
        private readonly ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(mapping.input);
        private readonly float[] values = new float[mapping.Dimension];
        private readonly float[] scratch = new float[mapping.Dimension];
        private readonly float[] output = new float[Batch * mapping.Dimension];
        private readonly bool[] mask = new bool[Batch * mapping.Dimension];
        private VBuffer<float> buffer;

        public override void Capture(int slot, long position)
        {
            getter(ref buffer);
            buffer.CopyTo(values);
            var d = mapping.Dimension;
            mapping.Map(values, position, output.AsSpan(slot * d, d), mask.AsSpan(slot * d, d), scratch);
        }

        public override void Compute(int count)
        {
        }

        public override Delegate Getter(int index, Func<int> slot) => index == 0
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(output, slot(), ref value))
            : (ValueGetter<VBuffer<bool>>)((ref VBuffer<bool> value) => Copy(mask, slot(), ref value));

        private void Copy<T>(T[] source, int slot, ref VBuffer<T> value)
        {
            var d = mapping.Dimension;
            var editor = VBufferEditor.Create(ref value, d);
            source.AsSpan(slot * d, d).CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
