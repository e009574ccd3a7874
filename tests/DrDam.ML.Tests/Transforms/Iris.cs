using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Transforms;

/// <summary>Fisher's iris (data/iris.csv), split into stored (train) and query (test) rows.</summary>
internal static class Iris
{
    public sealed class Row
    {
        [LoadColumn(0)] public float SepalLength { get; set; }
        [LoadColumn(1)] public float SepalWidth { get; set; }
        [LoadColumn(2)] public float PetalLength { get; set; }
        [LoadColumn(3)] public float PetalWidth { get; set; }
        [LoadColumn(4)] public string Label { get; set; } = "";
    }

    public static readonly string[] Features = [nameof(Row.SepalLength), nameof(Row.SepalWidth), nameof(Row.PetalLength), nameof(Row.PetalWidth)];

    /// <summary>Every fifth row is a query; the other 120 are stored.</summary>
    public static (IDataView Train, IDataView Test) Load(MLContext ml)
    {
        var all = ml.Data.LoadFromTextFile<Row>(TestData.Path("iris.csv"), separatorChar: ',', hasHeader: true);
        var rows = ml.Data.CreateEnumerable<Row>(all, reuseRowObject: false).ToList();
        var test = rows.Where((_, i) => i % 5 == 0).ToList();
        var train = rows.Where((_, i) => i % 5 != 0).ToList();
        return (ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(test));
    }

    /// <summary>Concatenate the four measurements and scale them into [0, 1] (fitted on the stored rows).</summary>
    public static IEstimator<ITransformer> Features01(MLContext ml)
        => ml.Transforms.Concatenate("Features", Features).Append(ml.Transforms.NormalizeMinMax("Features"));
}
