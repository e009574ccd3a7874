// A package consumer, built outside the solution against the packed DrDam.* packages only (see PackageConsumerTests).
// "fit DATA OUT": fits a DrDAM Store pipeline and a ClAM model on iris, saves both, writes their outputs to OUT/fit.txt.
// "load DATA OUT": loads both models in this fresh process and writes the same outputs to OUT/load.txt.
using System.Globalization;
using DrDam.ML.Clustering;
using DrDam.ML.Memory;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

var (mode, dataPath, outDir) = (args[0], args[1], args[2]);
var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromTextFile<Row>(dataPath, separatorChar: ',', hasHeader: true);
var (storePath, clamPath) = (Path.Combine(outDir, "store.zip"), Path.Combine(outDir, "clam.zip"));
ITransformer store, clam;
if (mode == "fit")
{
    store = ml.Transforms.Concatenate("Features", "A", "B", "C", "D")
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.Transforms.AssociativeMemory.Store("Restored", "Features",
            new MemoryStoreOptions { Memory = new DistributedMemoryOptions { FeatureCount = 2000, Seed = 3 } }))
        .Fit(data);
    clam = ml.Transforms.Concatenate("Features", "A", "B", "C", "D")
        .Append(ml.Transforms.NormalizeMeanVariance("Features"))
        .Append(ml.Clustering.Trainers.AssociativeMemory(new ClusteringOptions { ClusteringCount = 3, Epochs = 5, Seed = 1 }))
        .Fit(data);
    ml.Model.Save(store, data.Schema, storePath);
    ml.Model.Save(clam, data.Schema, clamPath);
}
else
{
    store = ml.Model.Load(storePath, out _);
    clam = ml.Model.Load(clamPath, out _);
}
var lines = store.Transform(data).GetColumn<VBuffer<float>>("Restored").Select(v => string.Join(' ', v.DenseValues().Select(Text)))
    .Concat(clam.Transform(data).GetColumn<VBuffer<float>>("Score").Select(v => string.Join(' ', v.DenseValues().Select(Text))));
File.WriteAllLines(Path.Combine(outDir, mode + ".txt"), lines);

static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

internal sealed class Row
{
    [LoadColumn(0)] public float A { get; set; }
    [LoadColumn(1)] public float B { get; set; }
    [LoadColumn(2)] public float C { get; set; }
    [LoadColumn(3)] public float D { get; set; }
}
