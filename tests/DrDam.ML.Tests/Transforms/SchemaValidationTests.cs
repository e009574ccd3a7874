using DrDam.ML.Memory;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Transforms;

public class SchemaValidationTests
{
    private sealed class Input
    {
        [VectorType(4)] public float[] Features { get; set; } = new float[4];
        [VectorType(3)] public float[] Short { get; set; } = new float[3];
        [VectorType(4)] public bool[] Mask { get; set; } = new bool[4];
        [VectorType(3)] public bool[] ShortMask { get; set; } = new bool[3];
        [VectorType(4)] public double[] Doubles { get; set; } = new double[4];
        public float Scalar { get; set; }
        public string Name { get; set; } = "";
    }

    private static (MLContext Ml, IDataView Data, AssociativeMemoryTransformer Store) Setup()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new Input { Features = [i, 0.5f, 0.1f * i, 1], Name = $"row{i}" }));
        return (ml, data, ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", new MemoryStoreOptions { LabelColumnName = "Name" }).Fit(data));
    }

    [Theory]
    [InlineData("Missing", null, "Query column 'Missing' not found")]
    [InlineData("Scalar", null, "Query column 'Scalar' must be Vector<Single, 4>, but is Single")]
    [InlineData("Short", null, "Query column 'Short' must be Vector<Single, 4>, but is Vector<Single, 3>")]
    [InlineData("Doubles", null, "Query column 'Doubles' must be Vector<Single, 4>, but is Vector<Double, 4>")]
    [InlineData("Features", "Missing", "Mask column 'Missing' not found")]
    [InlineData("Features", "ShortMask", "Mask column 'ShortMask' must be Vector<Boolean, 4> or Vector<Single, 4>, but is Vector<Boolean, 3>")]
    [InlineData("Features", "Name", "Mask column 'Name' must be Vector<Boolean, 4> or Vector<Single, 4>, but is String")]
    public void RetrievalRejectsABadSchemaNamingTheColumn(string query, string? mask, string message)
    {
        var (_, data, store) = Setup();
        var retrieve = store.WithRetrieval("Out", query, mask);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => retrieve.GetOutputSchema(data.Schema));
        Assert.Contains(message, e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => retrieve.Transform(data));
    }

    [Fact]
    public void EstimatorRejectsABadSchemaNamingTheColumn()
    {
        var (ml, data, _) = Setup();
        // SchemaShape.Create is internal to ML.NET; pipelines call it the same way.
        var shape = (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.Invoke(null, [data.Schema])!;
        Assert.Contains("Store column 'Nope' not found", Assert.Throws<ArgumentOutOfRangeException>(() => { ml.Transforms.AssociativeMemory.Store("NopeRetrieved", "Nope").GetOutputSchema(shape); }).Message);
        Assert.Contains("Store column 'Scalar' must be a known-size Vector<Single>", Assert.Throws<ArgumentOutOfRangeException>(() => { ml.Transforms.AssociativeMemory.Store("ScalarRetrieved", "Scalar").GetOutputSchema(shape); }).Message);
        Assert.Contains("Label column 'Nope' not found", Assert.Throws<ArgumentOutOfRangeException>(() => { ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", new MemoryStoreOptions { LabelColumnName = "Nope" }).GetOutputSchema(shape); }).Message);
        Assert.Contains("Store column 'Features' must be Vector<Single, 4>, but is Vector<Single, 3>", Assert.Throws<ArgumentOutOfRangeException>(() => Setup().Store.AddRows(ml.Transforms.CopyColumns("Features", "Short").Fit(data).Transform(data))).Message);
        var output = ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features", new MemoryStoreOptions { LabelColumnName = "Name" }).GetOutputSchema(shape);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, output.Single(c => c.Name == "FeaturesRetrieved").Kind);
        Assert.Contains(output, c => c.Name == "FeaturesRetrievedMemoryLabel");
    }

    [Fact]
    public void BadOptionsAreRejectedWhenTheEstimatorIsCreated()
    {
        var ml = new MLContext();
        Assert.Equal("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Store("FRetrieved", "F", new MemoryStoreOptions { Memory = new MemoryMatrixOptions { Beta = 0 } })).ParamName);
        Assert.Equal("FeatureCount", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Store("FRetrieved", "F", new MemoryStoreOptions { Memory = new DistributedMemoryOptions { FeatureCount = -1 } })).ParamName);
        Assert.Equal("Memory", Assert.Throws<ArgumentNullException>(() => ml.Transforms.AssociativeMemory.Store("FRetrieved", "F", new MemoryStoreOptions { Memory = null! })).ParamName);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Store("FRetrieved", "F", new MemoryStoreOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("LabelColumnName", Assert.Throws<ArgumentException>(() => ml.Transforms.AssociativeMemory.Store("FRetrieved", "F", new MemoryStoreOptions { Memory = new DistributedMemoryOptions(), LabelColumnName = "L" })).ParamName);
        Assert.Equal("Fraction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Occlude("O", "M", "F", new OcclusionOptions { Fraction = 1.5 })).ParamName);
        Assert.Equal("Amount", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.AddNoise("O", "F", new NoiseOptions { Kind = NoiseKind.BitFlip, Amount = 2 })).ParamName);
    }

    /// <summary>NaN in a query: documented behaviour is an error naming the column, the row and the coordinate.</summary>
    [Fact]
    public void NaNInAQueryRowIsReportedWithColumnAndRow()
    {
        var (ml, _, store) = Setup();
        var rows = Enumerable.Range(0, 3).Select(i => new Input { Features = [0, 0, i == 2 ? float.NaN : 0, 0] });
        var e = Assert.Throws<InvalidDataException>(() => Columns.Vectors(store.Transform(ml.Data.LoadFromEnumerable(rows)), "FeaturesRetrieved"));
        Assert.Contains("Column 'Features', row 2: coordinate 2 is NaN", e.Message);
        var fit = Assert.Throws<InvalidDataException>(() => ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features").Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Column 'Features', row 2: coordinate 2 is NaN", fit.Message);
    }

    [Fact]
    public void EmptyDataCannotBeStored()
    {
        var ml = new MLContext();
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<Input>());
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => ml.Transforms.AssociativeMemory.Store("FeaturesRetrieved", "Features").Fit(empty)).Message);
    }
}
