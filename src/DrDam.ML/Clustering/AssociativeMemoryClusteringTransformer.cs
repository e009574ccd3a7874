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

    internal AssociativeMemoryClusteringTransformer(string featureColumn, MemoryMatrix prototypes, double stepSize, int steps)
    {
        FeatureColumn = featureColumn;
        Prototypes = prototypes;
        Contraction = new RetrievalOptions { StepSize = stepSize, MaxSteps = steps, Tolerance = 0 };
    }

    /// <summary>The clustered column.</summary>
    public string FeatureColumn { get; }

    /// <summary>The k prototypes ρ with β (an L2 memory matrix); not to be mutated.</summary>
    public MemoryMatrix Prototypes { get; }

    /// <summary>The contraction: step α and T steps, run to the end.</summary>
    public RetrievalOptions Contraction { get; }

    private protected override BatchMapping Mapping(DataViewSchema inputSchema) => new ClusteringMapping(inputSchema, FeatureColumn, Prototypes, Contraction);

    private protected override void Save(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(ModelFormat.Version(ModelSignature, LoaderSignature));
        ctx.SaveNonEmptyString(FeatureColumn);
        ctx.Writer.Write(Contraction.StepSize);
        ctx.Writer.Write(Contraction.MaxSteps);
        ctx.SaveBinaryStream(PrototypesEntry, writer => MemorySerializer.Write(writer.BaseStream, Prototypes));
    }

    private static AssociativeMemoryClusteringTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(ModelFormat.Version(ModelSignature, LoaderSignature));
        var feature = ctx.LoadNonEmptyString();
        var stepSize = ctx.Reader.ReadDouble();
        var steps = ctx.Reader.ReadInt32();
        MemoryMatrix? prototypes = null;
        if (!ctx.TryLoadBinaryStream(PrototypesEntry, reader => prototypes = MemorySerializer.Read(reader.BaseStream) as MemoryMatrix
                ?? throw new InvalidDataException($"{PrototypesEntry} does not hold a memory matrix.")))
            throw new InvalidDataException($"The model has no {PrototypesEntry} entry: the file is incomplete.");
        return new AssociativeMemoryClusteringTransformer(feature, prototypes!, stepSize, steps);
    }
}
