using System.IO.Compression;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Memory.Features;
using DrDam.ML.Transforms;
using Microsoft.ML;

namespace DrDam.ML.Tests.Transforms;

public sealed class ModelPersistenceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("drdam-model-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static IEstimator<ITransformer> Pipeline(MLContext ml, MemoryStoreOptions options)
        => Iris.Features01(ml)
            .Append(ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Features", new OcclusionOptions { Kind = OcclusionKind.Random, Fraction = 0.3, Seed = 4, FillValue = 0.5f }))
            .Append(ml.Transforms.AssociativeMemory.AddNoise("Noisy", "Features", new NoiseOptions { Amount = 0.05, Seed = 2 }))
            .Append(ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", options))
            .Append(ml.Transforms.Concatenate("ForClustering", "FeaturesRetrieved", "Noisy"))
            .Append(ml.Clustering.Trainers.KMeans("ForClustering", numberOfClusters: 3));

    public static TheoryData<bool, ProjectionStorage, bool> Stores => new()
    {
        { false, ProjectionStorage.Cached, true },
        { true, ProjectionStorage.Cached, false },
        { true, ProjectionStorage.OnDemand, false },
    };

    /// <summary>
    /// Concatenate → NormalizeMinMax → Occlude → AddNoise → Store → Concatenate → KMeans, saved, then
    /// loaded and applied in a new process: every output column is bit-identical to this process's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stores))]
    public void FreshProcessGivesBitIdenticalOutputs(bool distributed, ProjectionStorage storage, bool labels)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var options = new MemoryStoreOptions
        {
            Memory = distributed
                ? new DistributedMemoryOptions { Beta = 20, FeatureCount = 3000, ProjectionStorage = storage, Seed = 11 }
                : new MemoryMatrixOptions { Beta = 20 },
            LabelColumnName = labels ? "Label" : null, Retrieval = new RetrievalOptions { MaxSteps = 50 },
        };
        var model = Pipeline(ml, options).Fit(train);
        var path = Path.Combine(folder, "model.zip");
        ml.Model.Save(model, train.Schema, path);
        var expected = Columns.All(model.Transform(test));
        var actual = Columns.All(FreshProcess.Apply(ml, path, test, folder));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.True(Columns.Identical(values, actual[name]), $"column {name} differs after loading in a fresh process");
        Assert.Contains("Occluded", expected.Keys);
        Assert.Contains("FeaturesRetrievedEnergy", expected.Keys);
        Assert.Contains("Score", expected.Keys);
    }

    [Fact]
    public void MaskedRetrievalTransformerRoundTripsInProcess()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var features = Iris.Features01(ml).Fit(train);
        var store = ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features").Fit(features.Transform(train));
        var retrieve = store.WithRetrieval("Restored", "Occluded", "Visible", new RetrievalOptions { StepSize = 0.2, MaxSteps = 40, Tolerance = 1e-7 }, batchSize: 5);
        var queries = ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Features").Fit(features.Transform(test)).Transform(features.Transform(test));
        var path = Path.Combine(folder, "retrieve.zip");
        ml.Model.Save(retrieve, queries.Schema, path);
        var loaded = Assert.IsType<AssociativeMemoryTransformer>(ml.Model.Load(path, out var schema));
        Assert.Equal(retrieve.Columns, loaded.Columns);
        Assert.Equal(retrieve.Retrieval, loaded.Retrieval);
        Assert.Equal(5, loaded.BatchSize);
        Assert.Equal(Columns.Vectors(retrieve.Transform(queries), "Restored"), Columns.Vectors(loaded.Transform(queries), "Restored"));
        Assert.NotNull(schema.GetColumnOrNull("Visible"));
    }

    /// <summary>Store → Retrieve over the same store: the memory is written once into the zip and shared again after loading.</summary>
    [Fact]
    public void AStoreUsedByTwoStagesIsWrittenOnceAndSharedAfterLoading()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var features = Iris.Features01(ml).Fit(train);
        var rows = features.Transform(train);
        var store = ml.Transforms.AssociativeMemory.Store("Denoised", "Features", new MemoryStoreOptions
            { Memory = new DistributedMemoryOptions { Beta = 20, FeatureCount = 2000, Seed = 4 } }).Fit(rows);
        var inpaint = ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Features")
            .Append(ml.Transforms.AssociativeMemory.Retrieve("Restored", "Occluded", store, maskColumnName: "Visible")).Fit(rows);
        var model = features.Append(store).Append(inpaint);
        var path = Path.Combine(folder, "shared.zip");
        ml.Model.Save(model, train.Schema, path);
        using (var zip = ZipFile.OpenRead(path))
            Assert.Single(zip.Entries, e => e.Name == "Memory.bin");

        var loaded = ml.Model.Load(path, out _);
        var stages = Flatten(loaded).OfType<AssociativeMemoryTransformer>().ToArray();
        Assert.Equal(2, stages.Length);
        Assert.Same(stages[0].Store, stages[1].Store);
        var expected = Columns.All(model.Transform(test));
        var actual = Columns.All(loaded.Transform(test));
        foreach (var name in new[] { "Denoised", "Restored" })
            Assert.True(Columns.Identical(expected[name], actual[name]), $"column {name} differs after loading");

        static IEnumerable<ITransformer> Flatten(ITransformer transformer) => transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];
    }

    /// <summary>The backend is a run-time choice: a model saved from a Torch-backed transformer loads on the managed backend, with the managed outputs.</summary>
    [Fact]
    public void BackendIsNotSavedAndALoadedModelComputesOnTheManagedBackend()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var features = Iris.Features01(ml).Fit(train);
        var store = ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features").Fit(features.Transform(train));
        var torch = store.WithBackend(new DrDam.ML.Compute.Torch.TorchBackend(DrDam.ML.Compute.ComputeDevice.Cpu));
        var queries = features.Transform(test);
        var path = Path.Combine(folder, "torch-backed.zip");
        ml.Model.Save(torch, queries.Schema, path);
        var loaded = Assert.IsType<AssociativeMemoryTransformer>(ml.Model.Load(path, out _));
        Assert.Same(DrDam.ML.Compute.ManagedBackend.Instance, loaded.Backend);
        Assert.Equal(Columns.Vectors(store.Transform(queries), "FeaturesRetrieved"), Columns.Vectors(loaded.Transform(queries), "FeaturesRetrieved"));
    }

    /// <summary>The DrDAM model holds T, not the patterns: its memory entry has the same size for 12 and 120 stored rows.</summary>
    [Fact]
    public void DistributedModelSizeDoesNotGrowWithStoredCount()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Iris.Load(ml);
        var data = Iris.Features01(ml).Fit(train).Transform(train);
        var estimator = ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", new MemoryStoreOptions { Memory = new DistributedMemoryOptions { FeatureCount = 2000 } });
        long MemoryEntrySize(IDataView rows)
        {
            var path = Path.Combine(folder, $"size{rows.GetRowCount()}.zip");
            ml.Model.Save(estimator.Fit(rows), data.Schema, path);
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Single(e => e.FullName.EndsWith("Memory.bin", StringComparison.Ordinal)).Length;
        }
        var small = MemoryEntrySize(ml.Data.TakeRows(data, 12));
        var large = MemoryEntrySize(data);
        Assert.Equal(small, large);
        Assert.InRange(small, 2 * 2000 * 8, 2 * 2000 * 8 + 200); // T: 2Y doubles, plus the header
    }

    /// <summary>A zip cut in half fails in ML.NET's own loader, before any DrDam.ML code, with a clear FormatException.</summary>
    [Fact]
    public void TruncatedModelFileIsReported()
    {
        var path = SavedStore("truncated.zip");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<FormatException>(() => new MLContext().Model.Load(path, out _));
        Assert.Contains("zip archive", e.Message);
    }

    private string SavedStore(string name)
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = Iris.Load(ml);
        var data = Iris.Features01(ml).Fit(train).Transform(train);
        var path = Path.Combine(folder, name);
        ml.Model.Save(ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features").Fit(data), data.Schema, path);
        return path;
    }

}
