using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Transforms.Plumbing;

/// <summary>Retrieval as new columns: a batch of query rows descends the memory's energy together.</summary>
internal sealed class RetrievalMapping : BatchMapping
{
    private readonly StoredMemory store;
    private readonly RetrievalColumns columns;
    private readonly RetrievalOptions options;
    private readonly IProgress<int>? progress;
    private readonly IComputeBackend backend;
    private readonly DataViewSchema.Column query;
    private readonly DataViewSchema.Column? mask;
    private readonly (string Name, DataViewType Type)[] outputs;

    public RetrievalMapping(DataViewSchema input, StoredMemory store, RetrievalColumns columns, RetrievalOptions options, int batchSize, IProgress<int>? progress, IComputeBackend backend) : base(input)
    {
        this.store = store;
        this.columns = columns;
        this.options = options;
        this.progress = progress;
        this.backend = backend;
        BatchSize = batchSize;
        var d = store.Memory.Dimension;
        MemoryLimits.Values((long)batchSize * d, sizeof(float), $"A batch of {batchSize} rows of column '{columns.Query}' ({d} values each)", nameof(batchSize));
        query = SchemaCheck.Find(input, columns.Query, "Query");
        SchemaCheck.FloatVector(query, "Query", d);
        if (columns.Mask is not null)
        {
            mask = SchemaCheck.Find(input, columns.Mask, "Mask");
            SchemaCheck.Mask(mask.Value, d);
        }
        outputs = columns.Outputs(d, store.Memory is MemoryMatrix, store.Labels is not null, options.RecordEnergyTrace ? options.MaxSteps + 1 : null);
        TraceOutput = Array.FindIndex(outputs, o => o.Name == columns.EnergyTrace);
        MatrixOutput = Array.FindIndex(outputs, o => o.Name == columns.MemoryIndex);
    }

    public override IReadOnlyList<(string Name, DataViewType Type)> Outputs => outputs;

    /// <summary>Index of the energy-trace output, or −1.</summary>
    private int TraceOutput { get; }

    /// <summary>Index of the first dominant-memory output (Matrix stores).</summary>
    private int MatrixOutput { get; }

    public override int BatchSize { get; }

    public override IEnumerable<DataViewSchema.Column> Dependencies(IReadOnlyList<bool> activeOutputs)
    {
        if (!activeOutputs.Any(a => a))
            return [];
        return mask is { } m ? [query, m] : [query];
    }

    public override BatchState Bind(DataViewRow input, IReadOnlyList<bool> activeOutputs) => new State(this, input);

    private sealed class State : BatchState
    {
        private readonly RetrievalMapping mapping;
        private readonly int dimension;
        private readonly ValueGetter<VBuffer<float>> queryGetter;
        private readonly ValueGetter<VBuffer<bool>>? boolMask;
        private readonly ValueGetter<VBuffer<float>>? floatMask;
        private readonly float[] queries;
        private readonly bool[] clamped;
        private readonly int[] index;
        private readonly float[] weight;
        private readonly float[] scratch;
        private readonly RetrievalDynamics dynamics;
        private IEnergyEvaluator? evaluator;
        private VBuffer<float> queryBuffer;
        private VBuffer<bool> boolBuffer;
        private VBuffer<float> floatBuffer;
        private RetrievalResult? result;

        public State(RetrievalMapping mapping, DataViewRow input)
        {
            this.mapping = mapping;
            dimension = mapping.store.Memory.Dimension;
            var batch = mapping.BatchSize;
            queryGetter = input.GetGetter<VBuffer<float>>(mapping.query);
            if (mapping.mask is { } m)
            {
                if (m.Type.GetItemType() == BooleanDataViewType.Instance)
                    boolMask = input.GetGetter<VBuffer<bool>>(m);
                else
                    floatMask = input.GetGetter<VBuffer<float>>(m);
            }
            queries = new float[batch * dimension];
            clamped = mapping.mask is null ? [] : new bool[batch * dimension];
            index = new int[batch];
            weight = new float[batch];
            scratch = new float[mapping.store.Memory is MemoryMatrix matrix ? (int)matrix.Count : 0];
            dynamics = new RetrievalDynamics(mapping.options);
        }

        public override void Capture(int slot, long position)
        {
            queryGetter(ref queryBuffer);
            var row = queries.AsSpan(slot * dimension, dimension);
            queryBuffer.CopyTo(row);
            for (var i = 0; i < row.Length; i++)
            {
                if (!float.IsFinite(row[i]))
                    throw new InvalidDataException(
                        $"Column '{mapping.columns.Query}', row {position}: coordinate {i} is {row[i]}; retrieval needs finite values (replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues).");
            }
            if (boolMask is not null)
            {
                boolMask(ref boolBuffer);
                boolBuffer.CopyTo(clamped.AsSpan(slot * dimension, dimension));
            }
            else if (floatMask is not null)
            {
                floatMask(ref floatBuffer);
                var known = clamped.AsSpan(slot * dimension, dimension);
                known.Clear();
                foreach (var (i, v) in floatBuffer.Items())
                    known[i] = v != 0;
            }
        }

        public override void Compute(int count)
        {
            evaluator ??= mapping.backend.CreateEvaluator(mapping.store.Memory, mapping.BatchSize);
            var known = clamped.Length == 0 ? default : clamped.AsSpan(0, count * dimension);
            result = dynamics.Run(evaluator, queries.AsSpan(0, count * dimension), count, known, mapping.progress);
            if (mapping.store.Memory is MemoryMatrix matrix)
            {
                for (var r = 0; r < count; r++)
                    (index[r], weight[r]) = matrix.Dominant(result.State(r), scratch);
            }
        }

        public override void Dispose() => evaluator?.Dispose();

        public override Delegate Getter(int output, Func<int> slot) => output switch
        {
            0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, dimension);
                result!.State(slot()).CopyTo(editor.Values);
                value = editor.Commit();
            }),
            1 => (ValueGetter<double>)((ref double value) => value = result!.Energies[slot()]),
            2 => (ValueGetter<int>)((ref int value) => value = result!.Steps[slot()]),
            3 => (ValueGetter<bool>)((ref bool value) => value = result!.Converged[slot()]),
            _ when output == mapping.TraceOutput => (ValueGetter<VBuffer<double>>)((ref VBuffer<double> value) =>
            {
                var trace = result!.EnergyTrace![slot()];
                var editor = VBufferEditor.Create(ref value, mapping.options.MaxSteps + 1);
                for (var t = 0; t < editor.Values.Length; t++)
                    editor.Values[t] = trace[Math.Min(t, trace.Count - 1)];
                value = editor.Commit();
            }),
            _ when output == mapping.MatrixOutput => (ValueGetter<int>)((ref int value) => value = index[slot()]),
            _ when output == mapping.MatrixOutput + 1 => (ValueGetter<float>)((ref float value) => value = weight[slot()]),
            _ when output == mapping.MatrixOutput + 2 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = mapping.store.Labels![index[slot()]].AsMemory()),
            _ => throw new ArgumentOutOfRangeException(nameof(output)),
        };
    }
}
