using DrDam.ML.Clustering;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Persistence;
using DrDam.ML.Transforms;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(AssociativeMemoryClusteringTransformer), null, typeof(SignatureLoadModel),
    "DrDam associative-memory clustering", AssociativeMemoryClusteringTransformer.LoaderSignature)]

namespace DrDam.ML.Clustering;

/// <summary>
/// A trained ClAM model: adds "Score" (squared distances of the contracted point to the k prototypes)
/// and "PredictedLabel" (key 1…k), the conventions of ML.NET's KMeans, so <c>mlContext.Clustering.Evaluate</c>
/// works and it can replace KMeans in a pipeline. Prediction uses the managed engine only.
/// </summary>
public sealed class AssociativeMemoryClusteringTransformer : RowBatchTransformer
{
    internal const string LoaderSignature = "DrDamClamTransformer";
    private const string ModelSignature = "DRDAMCLM";
    private const string PrototypesEntry = "Prototypes.bin";
    private const string EncoderEntry = "Encoder.bin";

    internal AssociativeMemoryClusteringTransformer(string featureColumn, MemoryMatrix prototypes, Encoder? encoder, double stepSize, int steps)
    {
        FeatureColumn = featureColumn;
        Prototypes = prototypes;
        Encoder = encoder;
        Contraction = new RetrievalOptions { StepSize = stepSize, MaxSteps = steps, Tolerance = 0 };
    }

    /// <summary>The clustered column.</summary>
    public string FeatureColumn { get; }

    /// <summary>The k prototypes ρ with β (an L2 memory matrix); not to be mutated.</summary>
    public MemoryMatrix Prototypes { get; }

    /// <summary>The deep variant's encoder (prototypes live in its latent space), or null.</summary>
    public Encoder? Encoder { get; }

    /// <summary>The contraction: step α and T steps, run to the end.</summary>
    public RetrievalOptions Contraction { get; }

    private protected override BatchMapping Mapping(DataViewSchema inputSchema) => new ClusteringMapping(inputSchema, FeatureColumn, Prototypes, Encoder, Contraction);

    private protected override void Save(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelFormat.Version(ModelSignature, LoaderSignature));
        ModelEntries.SaveSettings(ctx, w =>
        {
            w.Write(FeatureColumn);
            w.Write(Contraction.StepSize);
            w.Write(Contraction.MaxSteps);
        });
        ctx.SaveBinaryStream(PrototypesEntry, writer => MemorySerializer.Write(writer.BaseStream, Prototypes));
        if (Encoder is { } encoder)
        {
            ModelEntries.SaveChecked(ctx, EncoderEntry, writer =>
            {
                writer.Write(encoder.Inputs);
                writer.Write(encoder.Hidden);
                writer.Write(encoder.Latent);
                foreach (var array in new[] { encoder.W1, encoder.B1, encoder.W2, encoder.B2 })
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan()));
            });
        }
    }

    private static AssociativeMemoryClusteringTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelEntries.CheckVersion(ctx, ModelFormat.Version(ModelSignature, LoaderSignature));
        var (feature, stepSize, steps) = ModelEntries.LoadSettings(ctx, r => (ModelEntries.Column(r), r.ReadDouble(), r.ReadInt32()));
        var prototypes = ModelEntries.Load(ctx, PrototypesEntry, () =>
        {
            using var entry = ctx.Repository.OpenEntryOrNull(ctx.Directory, PrototypesEntry)
                ?? throw new InvalidDataException($"the file has no {PrototypesEntry}: it is incomplete.");
            return MemorySerializer.Read(entry.Stream) as MemoryMatrix ?? throw new InvalidDataException($"{PrototypesEntry} does not hold a memory matrix.");
        });
        var encoder = ModelEntries.Load(ctx, EncoderEntry, () => ModelEntries.LoadChecked(ctx, ctx.Directory, EncoderEntry, reader =>
        {
            var (inputs, hidden, latent) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            if (inputs < 1 || hidden < 1 || latent != prototypes.Dimension)
                throw new InvalidDataException($"{EncoderEntry} declares {inputs}→{hidden}→{latent} units for prototypes of dimension {prototypes.Dimension}.");
            float[] Read(long length)
            {
                if (length * sizeof(float) > reader.BaseStream.Length - reader.BaseStream.Position)
                    throw new InvalidDataException($"{EncoderEntry} declares {length} weights, more than it holds.");
                var values = new float[length];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                return values;
            }
            return new Encoder(inputs, hidden, latent, Read((long)hidden * inputs), Read(hidden), Read((long)latent * hidden), Read(latent));
        }));
        return ModelEntries.Load(ctx, ModelEntries.Settings, () => new AssociativeMemoryClusteringTransformer(feature, prototypes, encoder, stepSize, steps));
    }
}
