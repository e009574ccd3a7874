using DrDam.ML.Memory;
using DrDam.ML.Transforms.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Clustering;

/// <summary>
/// ClAM (docs/CLUSTERING.md): k prototypes are the memories of a dense associative memory; points are
/// contracted by T unrolled descent steps and the prototypes are trained end to end (TorchSharp, Adam)
/// to minimise the masked reconstruction loss. <c>mlContext.Clustering.Trainers.AssociativeMemory(...)</c>.
/// </summary>
public sealed class AssociativeMemoryClusteringTrainer : IEstimator<AssociativeMemoryClusteringTransformer>
{
    internal AssociativeMemoryClusteringTrainer(ClusteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The settings.</summary>
    public ClusteringOptions Options { get; }

    /// <inheritdoc/>
    public AssociativeMemoryClusteringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = SchemaCheck.Find(input.Schema, Options.FeatureColumnName, "Feature");
        var d = SchemaCheck.FloatVector(column, "Feature");
        // One dense row at a time into blocks of whole rows (no per-value list growth: 47M values for Fashion-MNIST 60k).
        var blocks = new List<float[]>();
        var n = 0;
        const int blockRows = 4096;
        using (var cursor = input.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                if (n % blockRows == 0)
                    blocks.Add(new float[blockRows * d]);
                var row = blocks[^1].AsSpan(n % blockRows * d, d);
                buffer.CopyTo(row);
                foreach (var v in row)
                {
                    if (!float.IsFinite(v))
                        throw new InvalidDataException($"Column '{column.Name}', row {cursor.Position}: a feature is {v}; clustering needs finite values.");
                }
                n++;
            }
        }
        if (n < Options.ClusteringCount)
            throw new ArgumentOutOfRangeException(nameof(input), $"ClusteringCount = {Options.ClusteringCount} exceeds the number of rows ({n}) in column '{column.Name}'.");
        var data = new float[n * d];
        for (var b = 0; b < blocks.Count; b++)
            blocks[b].AsSpan(0, Math.Min(n - b * blockRows, blockRows) * d).CopyTo(data.AsSpan(b * blockRows * d));
        var (encoder, prototypes, beta) = Options.Deep is null
            ? Shallow(ClamTraining.Train(data, n, d, Options))
            : Deep(DeepClamTraining.Train(data, n, d, Options));
        var memory = new MemoryMatrix(prototypes.Length / Options.ClusteringCount, new MemoryMatrixOptions { Beta = beta });
        memory.AddRange(prototypes, Options.ClusteringCount);
        return new AssociativeMemoryClusteringTransformer(Options.FeatureColumnName, memory, encoder, Options.StepSize, Options.Steps);

        static (Encoder?, float[], double) Shallow((float[] Prototypes, double Beta, IReadOnlyList<double> _) r) => (null, r.Prototypes, r.Beta);
        static (Encoder?, float[], double) Deep((Encoder Encoder, float[] Prototypes, double Beta, IReadOnlyList<double> _) r) => (r.Encoder, r.Prototypes, r.Beta);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaCheck.FloatVectorShape(SchemaCheck.FindShape(inputSchema, Options.FeatureColumnName, "Feature"), "Feature");
        return SchemaCheck.With(inputSchema,
        [
            SchemaCheck.Vector("Score", NumberDataViewType.Single),
            SchemaCheck.Key("PredictedLabel", NumberDataViewType.UInt32),
        ]);
    }
}

/// <summary>Adds ClAM to ML.NET's clustering trainers.</summary>
public static class ClusteringCatalogExtensions
{
    /// <summary>ClAM with every setting given.</summary>
    public static AssociativeMemoryClusteringTrainer AssociativeMemory(this ClusteringCatalog.ClusteringTrainers trainers, ClusteringOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new AssociativeMemoryClusteringTrainer(options);
    }

    /// <summary>ClAM on <paramref name="featureColumnName"/> with <paramref name="numberOfClusters"/> clusters and default settings.</summary>
    public static AssociativeMemoryClusteringTrainer AssociativeMemory(this ClusteringCatalog.ClusteringTrainers trainers, string featureColumnName = "Features", int numberOfClusters = 3)
        => trainers.AssociativeMemory(new ClusteringOptions { FeatureColumnName = featureColumnName, ClusteringCount = numberOfClusters });
}
