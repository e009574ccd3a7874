using System.Diagnostics;
using DrDam.ML.Clustering;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Samples.Clustering;

/// <summary>One epoch of ClAM training as the CLI shows it: the loss, and the NMI of nearest-prototype assignments when labels exist.</summary>
internal readonly record struct ClusterProgress(int Epoch, double Loss, double? Nmi, bool Pretraining = false);

/// <summary>Settings of a <c>cluster</c> run.</summary>
internal sealed record ClusterSettings(TabularData Data, int? K, double? Beta, int Steps, int Epochs, int Seed, string Normalize, DeepClusteringOptions? Deep = null, string? Out = null,
    int? BatchSize = null, int? Threads = null, double? LearningRate = null);

/// <summary>
/// Clusters one table with ClAM and with ML.NET's KMeans through the same ML.NET pipeline
/// (normalisation, then the trainer), and scores both: NMI and ARI against the labels, Euclidean
/// silhouette on the normalised features.
/// </summary>
internal static class ClusterJob
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    public static Dictionary<string, object?> Run(ClusterSettings s, IProgress<ClusterProgress>? progress, Action<string>? status = null)
    {
        var data = s.Data;
        var d = data.Features[0].Length;
        var classes = data.Labels?.Distinct().Select((label, index) => (label, index)).ToDictionary(p => p.label, p => p.index);
        var truth = data.Labels?.Select(l => classes![l]).ToArray();
        var k = s.K ?? classes?.Count ?? 3;
        if (k < 2 || k > data.Features.Length)
            throw new ArgumentException($"--k must lie in [2, rows = {data.Features.Length}] (got {k}).");
        var distinct = data.Features.Select(f => string.Join(',', f)).Distinct().Take(k).Count();
        if (distinct < k)
            throw new ArgumentException($"--data: '{data.Name}' has only {distinct} distinct rows, fewer than the {k} clusters asked for (--k).");
        var outDir = OutputFolder.Prepare(s.Out ?? Path.Combine("out", "cluster"), "--out");
        var ml = new MLContext(seed: s.Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var view = ml.Data.LoadFromEnumerable(data.Features.Select(f => new Row { Features = f }), schema);
        IEstimator<ITransformer> normalize = s.Normalize switch
        {
            "zscore" => ml.Transforms.NormalizeMeanVariance("Features", fixZero: false),
            "minmax" => ml.Transforms.NormalizeMinMax("Features"),
            "none" => ml.Transforms.CopyColumns("Features", "Features"),
            _ => throw new ArgumentException($"--normalize must be zscore, minmax or none (got '{s.Normalize}')."),
        };
        var normalized = ml.Data.Cache(normalize.Fit(view).Transform(view));
        var points = normalized.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();

        // libtorch loads once per process (about 0.6 s here): reported apart, not charged to one fit.
        var clock = Stopwatch.StartNew();
        DrDam.ML.Native.TorchSharpNative.EnsureLoaded();
        var torchLoadSeconds = clock.Elapsed.TotalSeconds;
        status?.Invoke($"ClAM training on {data.Features.Length} rows");
        clock.Restart();
        var options = new ClusteringOptions
        {
            ClusteringCount = k, Beta = s.Beta, Steps = s.Steps, Epochs = s.Epochs, Seed = s.Seed,
            Progress = progress is null ? null : new SynchronousProgress<ClusteringEpoch>(e => progress.Report(new ClusterProgress(e.Epoch, e.Loss, ProgressNmi(points, truth, e), e.Pretraining))),
            Deep = s.Deep, Threads = s.Threads,
        };
        if (s.BatchSize is { } batch)
            options = options with { BatchSize = batch };
        if (s.LearningRate is { } rate)
            options = options with { LearningRate = rate };
        var clam = ml.Clustering.Trainers.AssociativeMemory(options).Fit(normalized);
        var clamLabels = Assignments(clam.Transform(normalized));
        var clamSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        status?.Invoke("KMeans");
        var kmeans = ml.Clustering.Trainers.KMeans("Features", numberOfClusters: k).Fit(normalized);
        var kmeansLabels = Assignments(kmeans.Transform(normalized));
        var kmeansSeconds = clock.Elapsed.TotalSeconds;

        var plot = Path.Combine(outDir, $"{data.Name}-clam.png");
        status?.Invoke("scoring");
        var sample = SilhouetteSample(points.Length, s.Seed);
        var sampled = Pick(points, sample);
        Rendering.ScatterPlot.Save(plot, $"{data.Name}: ClAM clusters (k = {k})", PrincipalComponents.Project2D(points), clamLabels);

        double? Score(Func<int[], int[], double> score, int[] predicted) => truth is null ? null : Math.Round(score(truth, predicted), 4);
        return new Dictionary<string, object?>
        {
            ["command"] = "cluster",
            ["dataset"] = data.Name,
            ["rows"] = data.Features.Length,
            ["features"] = d,
            ["k"] = k,
            ["beta"] = Math.Round(clam.Prototypes.Beta, 4),
            ["deep"] = s.Deep is not null,
            ["neighbour_weight"] = s.Deep?.NeighbourWeight,
            ["clam_nmi"] = Score(ClusteringScores.NormalizedMutualInformation, clamLabels),
            ["kmeans_nmi"] = Score(ClusteringScores.NormalizedMutualInformation, kmeansLabels),
            ["clam_ari"] = Score(ClusteringScores.AdjustedRandIndex, clamLabels),
            ["kmeans_ari"] = Score(ClusteringScores.AdjustedRandIndex, kmeansLabels),
            ["clam_silhouette"] = Math.Round(ClusteringScores.Silhouette(sampled, Pick(clamLabels, sample)), 4),
            ["kmeans_silhouette"] = Math.Round(ClusteringScores.Silhouette(sampled, Pick(kmeansLabels, sample)), 4),
            ["silhouette_rows"] = sample?.Length ?? points.Length,
            ["clam_seconds"] = Math.Round(clamSeconds, 2),
            ["kmeans_seconds"] = Math.Round(kmeansSeconds, 2),
            ["time_ratio"] = Math.Round(clamSeconds / kmeansSeconds, 2),
            ["torch_load_seconds"] = Math.Round(torchLoadSeconds, 2),
            ["outputs"] = new[] { plot },
        };
    }

    /// <summary>Rows scored for the NMI shown while training (the first ones: a cheap, steady signal).</summary>
    private const int ProgressRows = 2000;

    // The NMI of assigning each of the first rows to its nearest prototype (what the contraction converges to at large β).
    // The deep variant reports its rows' nearest latent prototypes; otherwise the rows are assigned here.
    private static double? ProgressNmi(float[][] points, int[]? truth, ClusteringEpoch epoch)
    {
        if (truth is null)
            return null;
        if (epoch.Assignments is { } assignments && assignments.Length == truth.Length)
            return ClusteringScores.NormalizedMutualInformation(truth, assignments);
        if (epoch.Prototypes is not { } prototypes)
            return null;
        var rows = Math.Min(points.Length, ProgressRows);
        var d = points[0].Length;
        var k = prototypes.Length / d;
        var assigned = new int[rows];
        for (var i = 0; i < rows; i++)
            assigned[i] = Enumerable.Range(0, k).MinBy(c => System.Numerics.Tensors.TensorPrimitives.Distance(points[i], prototypes.AsSpan(c * d, d)));
        return ClusteringScores.NormalizedMutualInformation(truth[..rows], assigned);
    }

    /// <summary>Rows above which the silhouette (O(n²) distances) is computed on a seeded sample of this many rows.</summary>
    public const int SilhouetteRows = 5000;

    private static int[]? SilhouetteSample(int rows, int seed)
    {
        if (rows <= SilhouetteRows)
            return null;
        var all = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(all);
        return all[..SilhouetteRows];
    }

    private static T[] Pick<T>(T[] values, int[]? rows) => rows is null ? values : rows.Select(r => values[r]).ToArray();

    private static int[] Assignments(IDataView scored) => scored.GetColumn<uint>("PredictedLabel").Select(l => (int)l).ToArray();
}
