using System.Runtime.CompilerServices;
using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Clustering;

/// <summary>
/// Assignment with the managed engine (no TorchSharp): T descent steps of step α on the prototypes'
/// L2 energy (the contraction with m = 1), then Score = squared distances to every prototype and
/// PredictedLabel = 1 + the nearest one, as ML.NET's KMeans reports them. Deep models first encode
/// each row with the managed encoder.
/// </summary>
internal sealed class ClusteringMapping : BatchMapping
{
    private const int Batch = 128;
    private readonly MemoryMatrix prototypes;
    private readonly Encoder? encoder;
    private readonly RetrievalOptions contraction;
    private readonly DataViewSchema.Column features;
    private readonly (string, DataViewType)[] outputs;

    public ClusteringMapping(DataViewSchema input, string featureColumn, MemoryMatrix prototypes, Encoder? encoder, RetrievalOptions contraction) : base(input)
    {
        this.prototypes = prototypes;
        this.encoder = encoder;
        this.contraction = contraction;
        features = SchemaCheck.Find(input, featureColumn, "Feature");
        SchemaCheck.FloatVector(features, "Feature", encoder?.Inputs ?? prototypes.Dimension);
        var k = (int)prototypes.Count;
        outputs = [("Score", new VectorDataViewType(NumberDataViewType.Single, k)), ("PredictedLabel", new KeyDataViewType(typeof(uint), k))];
    }

    public override IReadOnlyList<(string Name, DataViewType Type)> Outputs => outputs;

    public override int BatchSize => Batch;

    public override IEnumerable<DataViewSchema.Column> Dependencies(IReadOnlyList<bool> activeOutputs) => activeOutputs.Any(a => a) ? [features] : [];

    public override BatchState Bind(DataViewRow input, IReadOnlyList<bool> activeOutputs) => new State(this, input);

    private sealed class State(ClusteringMapping mapping, DataViewRow input) : BatchState
    {
        private readonly ValueGetter<VBuffer<float>> getter = input.GetGetter<VBuffer<float>>(mapping.features);
        private readonly int d = mapping.prototypes.Dimension;
        private readonly int k = (int)mapping.prototypes.Count;
        private readonly float[] points = new float[Batch * mapping.prototypes.Dimension];
        private readonly float[] raw = new float[mapping.encoder?.Inputs ?? 0];
        private readonly float[] hidden = new float[mapping.encoder?.Hidden ?? 0];
        private readonly float[] scores = new float[Batch * (int)mapping.prototypes.Count];
        private readonly uint[] labels = new uint[Batch];
        private readonly RetrievalDynamics dynamics = new(mapping.contraction);
        private IEnergyEvaluator? evaluator;
        private VBuffer<float> buffer;

        public override void Capture(int slot, long position)
        {
            getter(ref buffer);
            var row = mapping.encoder is null ? points.AsSpan(slot * d, d) : raw.AsSpan();
            buffer.CopyTo(row);
            for (var i = 0; i < row.Length; i++)
            {
                if (!float.IsFinite(row[i]))
                    throw new InvalidDataException($"Column '{mapping.features.Name}', row {position}: coordinate {i} is {row[i]}; clustering needs finite values.");
            }
            mapping.encoder?.Encode(raw, hidden, points.AsSpan(slot * d, d)); // deep ClAM clusters in the latent space
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: see RetrievalDynamics.RunChunk
        public override void Compute(int count)
        {
            evaluator ??= ManagedBackend.Instance.CreateEvaluator(mapping.prototypes, Batch);
            var result = dynamics.Run(evaluator, points.AsSpan(0, count * d), count);
            for (var r = 0; r < count; r++)
            {
                var score = scores.AsSpan(r * k, k);
                for (var mu = 0; mu < k; mu++)
                {
                    var distance = System.Numerics.Tensors.TensorPrimitives.Distance(result.State(r), mapping.prototypes[mu]);
                    score[mu] = distance * distance;
                }
                labels[r] = (uint)System.Numerics.Tensors.TensorPrimitives.IndexOfMin<float>(score) + 1;
            }
        }

        public override Delegate Getter(int output, Func<int> slot) => output == 0
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, k);
                scores.AsSpan(slot() * k, k).CopyTo(editor.Values);
                value = editor.Commit();
            })
            : (ValueGetter<uint>)((ref uint value) => value = labels[slot()]);
    }
}
