using DrDam.ML.Clustering;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Dynamics;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Transforms;

/// <summary>
/// A row's outputs do not depend on the rows retrieved with it: the same bits alone (PredictionEngine, batch 1),
/// in a batch of 128 and in random batch sizes, for MrDAM, DrDAM and ClAM. Rows converge at different steps,
/// so the batches also shrink and reorder as the descent goes.
/// </summary>
public sealed class BatchIndependenceTests
{
    public static TheoryData<bool> Representations => [false, true];

    [Theory]
    [MemberData(nameof(Representations))]
    public void RetrievalOutputsAreBitIdenticalInAnyBatch(bool distributed)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var features = Iris.Features01(ml).Fit(train);
        var queries = ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Features",
            new OcclusionOptions { Kind = OcclusionKind.Random, Fraction = 0.3, FillValue = 0.5f, Seed = 3 }).Fit(features.Transform(test)).Transform(features.Transform(test));
        var store = ml.Transforms.AssociativeMemory.Store("Out", "Features", new MemoryStoreOptions
        {
            Memory = distributed ? new DistributedMemoryOptions { Beta = 20, FeatureCount = 2000, Seed = 2 } : new MemoryMatrixOptions { Beta = 20 },
            LabelColumnName = distributed ? null : "Label",
        }).Fit(features.Transform(train));
        var retrieval = new RetrievalOptions { StepSize = 0.1, MaxSteps = 200, Tolerance = 1e-7 };
        var reference = Columns.All(store.WithRetrieval("Out", "Occluded", "Visible", retrieval, batchSize: 128).Transform(queries));
        var steps = (int[])reference["OutSteps"];
        Assert.True(steps.Distinct().Count() > 3, "rows should stop at different steps, so that batches shrink");

        var random = new Random(7);
        foreach (var batchSize in new[] { 1, 2, 3, 8, 9 }.Concat(Enumerable.Range(0, 4).Select(_ => random.Next(4, 40))))
        {
            var outputs = Columns.All(store.WithRetrieval("Out", "Occluded", "Visible", retrieval, batchSize).Transform(queries));
            foreach (var (name, values) in reference)
                Assert.True(Columns.Identical(values, outputs[name]), $"column {name} differs at batch size {batchSize}");
        }
    }

    [Fact]
    public void PredictionEngineGivesTheBatchedBits()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var model = Iris.Features01(ml).Append(ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", new MemoryStoreOptions
            { Memory = new DistributedMemoryOptions { Beta = 20, FeatureCount = 2000 }, BatchSize = 128 })).Fit(train);
        var batch = Columns.Vectors(model.Transform(test), "FeaturesRetrieved");
        var energies = Columns.Values<double>(model.Transform(test), "FeaturesRetrievedEnergy");
        var engine = ml.Model.CreatePredictionEngine<Iris.Row, Retrieved>(model);
        var rows = ml.Data.CreateEnumerable<Iris.Row>(test, reuseRowObject: false).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var alone = engine.Predict(rows[i]);
            Assert.Equal(batch[i], alone.FeaturesRetrieved);
            Assert.Equal(energies[i], alone.FeaturesRetrievedEnergy);
        }
    }

    [Fact]
    public void ClusteringScoresAreBitIdenticalAloneAndBatched()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Iris.Load(ml);
        var model = Iris.Features01(ml).Append(ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 5, Seed = 1 })).Fit(train);
        var scores = Columns.Vectors(model.Transform(test), "Score");
        var labels = Columns.Values<uint>(model.Transform(test), "PredictedLabel");
        var engine = ml.Model.CreatePredictionEngine<Iris.Row, Clustered>(model);
        var rows = ml.Data.CreateEnumerable<Iris.Row>(test, reuseRowObject: false).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var alone = engine.Predict(rows[i]);
            Assert.Equal(scores[i], alone.Score);
            Assert.Equal(labels[i], alone.PredictedLabel);
        }
    }


    private sealed class Retrieved
    {
        [VectorType(4)] public float[] FeaturesRetrieved { get; set; } = [];
        public double FeaturesRetrievedEnergy { get; set; }
    }

    private sealed class Clustered
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
        [KeyType(3)] public uint PredictedLabel { get; set; }
    }
}
