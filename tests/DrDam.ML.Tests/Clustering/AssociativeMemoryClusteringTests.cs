using DrDam.ML.Clustering;
using DrDam.ML.Tests.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Clustering;

public sealed class AssociativeMemoryClusteringTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-clam-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private sealed class Point
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    // Three well-separated Gaussian blobs in 4-D (centres 6σ apart), 60 points each, roughly standardised.
    private static IDataView Blobs(MLContext ml, int perCluster = 60, int seed = 3)
    {
        var random = new Random(seed);
        float[][] centres = [[-1.5f, 0, 0, 1], [1.5f, 1, 0, -1], [0, -1.5f, 1.5f, 0]];
        var points = new List<Point>();
        for (var c = 0; c < centres.Length; c++)
            for (var i = 0; i < perCluster; i++)
                points.Add(new Point { Label = (uint)c + 1, Features = centres[c].Select(v => v + 0.25f * (float)Normal(random)).ToArray() });
        return ml.Data.LoadFromEnumerable(points);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void WellSeparatedMixtureIsRecoveredAndEvaluatesLikeKMeans()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs(ml);
        var epochs = new List<ClusteringEpoch>();
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 30, Tolerance = 0, Seed = 4, Progress = new Collect(epochs) }))
            .Fit(data);
        var metrics = ml.Clustering.Evaluate(model.Transform(data), labelColumnName: "Label", scoreColumnName: "Score", featureColumnName: "Features");
        Assert.True(metrics.NormalizedMutualInformation > 0.95, $"NMI {metrics.NormalizedMutualInformation}");
        Assert.Equal(30, epochs.Count);
        Assert.True(epochs.Min(e => e.Loss) < 0.8 * epochs[0].Loss, $"loss {epochs[0].Loss} → {epochs.Min(e => e.Loss)}");
        // What training adds over its k-means start: the model holds prototypes that moved from where they began.
        var points = Columns.Vectors(data, "Features");
        var flat = points.SelectMany(p => p).ToArray();
        using var x = TorchSharp.torch.tensor(flat, [points.Length, 4]);
        var start = ClamTraining.InitialPrototypes(flat, x, new ClusteringOptions { ClusteringCount = 3, Seed = 4 }, new Random(4));
        var trained = model.LastTransformer.Prototypes.Patterns.ToArray();
        Assert.True(start.Zip(trained, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "the trained prototypes are the initial ones");
    }

    [Fact]
    public void LearnedBetaMovesAndIsKeptInTheModel()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs(ml, perCluster: 30);
        var model = ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 15, Beta = 0.5, LearnBeta = true, LearningRate = 0.05 }).Fit(data);
        Assert.NotEqual(0.5, model.Prototypes.Beta, 1e-3);
        var fixedBeta = ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 15, Beta = 0.5 }).Fit(data);
        Assert.Equal(0.5, fixedBeta.Prototypes.Beta);
    }

    [Fact]
    public void FreshProcessGivesTheSameAssignments()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs(ml, perCluster: 20);
        var model = ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 5 }).Fit(data);
        var path = Path.Combine(folder, "clam.zip");
        ml.Model.Save(model, data.Schema, path);
        var expected = model.Transform(data);
        var actual = FreshProcess.Apply(ml, path, data, folder);
        Assert.Equal(Columns.Values<uint>(expected, "PredictedLabel"), Columns.Values<uint>(actual, "PredictedLabel"));
        Assert.Equal(Columns.Vectors(expected, "Score"), Columns.Vectors(actual, "Score"));
        // Loading and predicting needs DrDam.ML only: the training package and TorchSharp never load.
        var loaded = File.ReadAllLines(Path.Combine(folder, "output.idv.assemblies"));
        Assert.Contains("DrDam.ML", loaded);
        Assert.DoesNotContain("TorchSharp", loaded);
        Assert.DoesNotContain("DrDam.ML.TorchSharp", loaded);
    }

    // Records every report on the training thread (Progress<T> would post them to the thread pool).
    private sealed class Recorder(List<ClusteringEpoch> epochs) : IProgress<ClusteringEpoch>
    {
        public void Report(ClusteringEpoch value) => epochs.Add(value);
    }

    private sealed class Wide
    {
        [VectorType(20)] public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    /// <summary>
    /// Deep ClAM on the three blobs embedded linearly in 20 dimensions: the encoder → contraction →
    /// decoder network recovers them (NMI > 0.9), and the saved model (managed encoder) assigns
    /// identically in a fresh process.
    /// </summary>
    [Fact]
    public void DeepVariantClustersInTheLatentSpaceAndReloads()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(7);
        var mixing = Enumerable.Range(0, 20 * 4).Select(_ => (float)Normal(random) / 2).ToArray();
        var points = ml.Data.CreateEnumerable<Point>(Blobs(ml), reuseRowObject: false).Select(p => new Wide
        {
            Label = p.Label,
            Features = Enumerable.Range(0, 20).Select(r => Enumerable.Range(0, 4).Sum(c => mixing[r * 4 + c] * p.Features[c]) + 0.05f * (float)Normal(random)).ToArray(),
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(points);
        var epochs = new List<ClusteringEpoch>();
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions
            {
                ClusteringCount = 3, Epochs = 15, Seed = 2, Deep = new DeepClusteringOptions { HiddenSize = 32, LatentSize = 4, PretrainEpochs = 20 },
                Progress = new Recorder(epochs),
            }))
            .Fit(data);
        // Progress: the 20 pretraining epochs, then joint epochs that assign every row to one of the 3 latent prototypes.
        Assert.Equal(Enumerable.Range(1, 20), epochs.Where(e => e.Pretraining).Select(e => e.Epoch));
        Assert.All(epochs.Where(e => e.Pretraining), e => Assert.Null(e.Assignments));
        var joint = epochs.Where(e => !e.Pretraining).ToList();
        Assert.NotEmpty(joint);
        Assert.All(joint, e => Assert.True(e.Assignments!.Length == points.Count && e.Assignments.All(c => c is >= 0 and < 3)));
        var truth = points.Select(p => (int)p.Label).ToArray();
        Assert.True(DrDam.ML.Samples.Clustering.ClusteringScores.NormalizedMutualInformation(truth, joint[^1].Assignments!) > 0.9,
            "the reported assignments are the clusters the network has found");
        var scored = model.Transform(data);
        var metrics = ml.Clustering.Evaluate(scored, labelColumnName: "Label", scoreColumnName: "Score", featureColumnName: "Features");
        Assert.True(metrics.NormalizedMutualInformation > 0.9, $"NMI {metrics.NormalizedMutualInformation}");
        Assert.NotNull(model.LastTransformer.Encoder);
        Assert.Equal(4, model.LastTransformer.Prototypes.Dimension);
        var path = Path.Combine(folder, "deep.zip");
        ml.Model.Save(model, data.Schema, path);
        Assert.Equal(Columns.Values<uint>(scored, "PredictedLabel"), Columns.Values<uint>(FreshProcess.Apply(ml, path, data, folder), "PredictedLabel"));
    }

    /// <summary>
    /// Two concentric rings (radii 1 and 3, 150 points each) embedded linearly in 20 dimensions: no split by straight-line
    /// distance separates them, so a plain autoencoder's latent space (NeighbourWeight = 0) leaves KMeans-like halves,
    /// while the neighbour embedding, which keeps each ring's neighbourhoods, separates the rings (NMI 1 with seeds 1, 2 and
    /// 3; the plain autoencoder 0.24–0.27). 300 rows need more, smaller steps than the defaults give.
    /// </summary>
    [Fact]
    public void NeighbourEmbeddingSeparatesRingsThatStraightLineDistancesCannot()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        var mixing = Enumerable.Range(0, 20 * 2).Select(_ => (float)Normal(random)).ToArray();
        var rings = Enumerable.Range(0, 300).Select(i =>
        {
            var (radius, angle) = (i < 150 ? 1.0 : 3.0, 2 * Math.PI * random.NextDouble());
            var (u, v) = (radius * Math.Cos(angle) + 0.05 * Normal(random), radius * Math.Sin(angle) + 0.05 * Normal(random));
            return new Wide { Label = i < 150 ? 1u : 2u, Features = Enumerable.Range(0, 20).Select(r => (float)(mixing[r * 2] * u + mixing[r * 2 + 1] * v)).ToArray() };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rings);
        double Nmi(double weight)
        {
            var model = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions
                {
                    ClusteringCount = 2, Seed = 1, BatchSize = 32, Deep = new DeepClusteringOptions { HiddenSize = 32, LatentSize = 10, PretrainEpochs = 200, NeighbourWeight = weight },
                }))
                .Fit(data);
            return ml.Clustering.Evaluate(model.Transform(data), labelColumnName: "Label", scoreColumnName: "Score").NormalizedMutualInformation;
        }
        var plain = Nmi(0);
        var embedded = Nmi(1);
        Assert.True(plain < 0.5, $"plain autoencoder NMI {plain}");
        Assert.True(embedded > 0.9, $"neighbour embedding NMI {embedded}");
    }

    /// <summary>On a machine with CUDA, training there gives the CPU's clusters; elsewhere Device = Cuda is a clear error and the GPU check skips.</summary>
    [SkippableFact]
    public void CudaTrainingMatchesCpuOrSkips()
    {
        var ml = new MLContext(seed: 1);
        var data = Blobs(ml, perCluster: 20);
        var options = new ClusteringOptions { ClusteringCount = 3, Epochs = 5, Seed = 1, Device = TrainingDevice.Cuda };
        DrDam.ML.Native.TorchSharpNative.EnsureLoaded();
        if (!TorchSharp.torch.cuda.is_available())
        {
            Assert.Contains("no CUDA device", Assert.Throws<InvalidOperationException>(() => ml.Clustering.Trainers.AssociativeMemory(options).Fit(data)).Message);
            Skip.If(true, "no CUDA device on this machine: the GPU training check runs on the lent GPU machine only");
        }
        var gpu = ml.Clustering.Trainers.AssociativeMemory(options).Fit(data);
        var cpu = ml.Clustering.Trainers.AssociativeMemory(options with { Device = TrainingDevice.Cpu }).Fit(data);
        Assert.Equal(Columns.Values<uint>(cpu.Transform(data), "PredictedLabel"), Columns.Values<uint>(gpu.Transform(data), "PredictedLabel"));
    }

    [Fact]
    public void BadInputIsRejectedNamingTheProblem()
    {
        var ml = new MLContext(seed: 1);
        Assert.Equal("ClusteringCount", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 1 })).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { Beta = 0 })).ParamName);
        Assert.Equal("MaskFraction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { MaskFraction = 1 })).ParamName);
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusteringOptions { Threads = 0 }).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusteringOptions { Tolerance = -1e-3 }).ParamName);
        var few = Blobs(ml, perCluster: 1);
        Assert.Contains("ClusteringCount = 5 exceeds the number of rows (3)",
            Assert.Throws<ArgumentOutOfRangeException>(() => ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 5 }).Fit(few)).Message);
        var nan = ml.Data.LoadFromEnumerable(new[] { new Point { Features = [0, 0, 0, 0] }, new Point { Features = [0, float.NaN, 0, 0] }, new Point { Features = [1, 1, 1, 1] } });
        Assert.Contains("Column 'Features', row 1: a feature is NaN",
            Assert.Throws<InvalidDataException>(() => ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 2 }).Fit(nan)).Message);
    }

    [Fact]
    public void TrainingStopsOnceTheLossStallsAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var points = Columns.Vectors(Blobs(ml), "Features");
        var data = points.SelectMany(p => p).ToArray();
        var options = new ClusteringOptions { ClusteringCount = 3, Epochs = 200, Seed = 4 };
        var (prototypes, _, losses) = ClamTraining.Train(data, points.Length, 4, options);
        Assert.InRange(losses.Count, ClusteringOptions.Patience + 1, 199);
        // The last Patience epochs gained no more than the tolerance over the best before them.
        var before = losses.Take(losses.Count - ClusteringOptions.Patience).Min();
        Assert.All(losses.TakeLast(ClusteringOptions.Patience), loss => Assert.True(loss >= before * (1 - options.Tolerance), $"{loss} vs {before}"));
        // Without early stopping the same seed runs every epoch, and its first epochs are the same.
        var (_, _, all) = ClamTraining.Train(data, points.Length, 4, options with { Epochs = losses.Count + 5, Tolerance = 0 });
        Assert.Equal(losses.Count + 5, all.Count);
        Assert.Equal(losses, all.Take(losses.Count));
        Assert.Equal(3 * 4, prototypes.Length);
    }

    [Fact]
    public void TheThreadSettingAppliesDuringTrainingOnlyAndTheDefaultFollowsTheWork()
    {
        var ml = new MLContext(seed: 1);
        var points = Columns.Vectors(Blobs(ml, perCluster: 20), "Features");
        DrDam.ML.Native.TorchSharpNative.EnsureLoaded();
        var original = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(3); // a count neither the setting nor the default would choose here
        try
        {
            var during = new List<int>();
            ClamTraining.Train([.. points.SelectMany(p => p)], points.Length, 4, new ClusteringOptions
            {
                ClusteringCount = 3, Epochs = 2, Tolerance = 0, Threads = 1, Progress = new Observe(() => during.Add(TorchSharp.torch.get_num_threads())),
            });
            Assert.Equal([1, 1], during);
            Assert.Equal(3, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(original);
        }
        Assert.Equal(1, TorchThreads.Default(1797, 64, 10)); // digits: one thread
        Assert.Equal(Environment.ProcessorCount, TorchThreads.Default(60_000, 784, 10)); // Fashion-MNIST: every core
    }

    private sealed class Observe(Action seen) : IProgress<ClusteringEpoch>
    {
        public void Report(ClusteringEpoch value) => seen();
    }

    [Fact]
    public void TheKMeansStartIsReproducibleAndRunsItsRestartsOnASampleOfLargeData()
    {
        var random = new Random(9);
        float[][] centres = [[-4, 0], [4, 0], [0, 5]];
        const int rows = KMeansPlusPlus.RestartRows + 904;
        var data = new float[rows * 2];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < 2; j++)
                data[i * 2 + j] = centres[i % 3][j] + 0.3f * (float)Normal(random);
        var first = KMeansPlusPlus.BestOf(data, rows, 2, 3, seed: 5);
        Assert.Equal(first, KMeansPlusPlus.BestOf(data, rows, 2, 3, seed: 5));
        // Every blob centre is found within a fraction of the noise.
        foreach (var centre in centres)
            Assert.Contains(Enumerable.Range(0, 3), c => Math.Abs(first[c * 2] - centre[0]) < 0.05 && Math.Abs(first[c * 2 + 1] - centre[1]) < 0.05);
    }

    private sealed class Collect(List<ClusteringEpoch> epochs) : IProgress<ClusteringEpoch>
    {
        public void Report(ClusteringEpoch value) => epochs.Add(value);
    }
}
