using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DrDam.ML.Tests.Memory;

/// <summary>Sizes that cannot fit are refused before anything is allocated, naming the parameter, the size and the limit.</summary>
public sealed class SizeLimitTests
{
    [Fact]
    public void AFeatureCountWhoseTCannotFitIsRefusedAtOnce()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemory(784, new DistributedMemoryOptions { FeatureCount = 2_000_000_000, ProjectionStorage = ProjectionStorage.OnDemand }));
        Assert.Equal("FeatureCount", e.ParamName);
        Assert.Contains("needs 4,000,000,000 values, more than one array holds (2,147,483,591)", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal must come before any large allocation");
    }

    [Fact]
    public void ACachedOmegaLargerThanTheAvailableMemoryIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedMemory(100_000, new DistributedMemoryOptions { FeatureCount = 1_000_000 }));
        Assert.Equal("FeatureCount", e.ParamName);
        Assert.Contains("A cached Ω", e.Message);
        Assert.Contains("more than the", e.Message);
        // On demand, the same memory holds one block of Ω: allowed.
        Assert.Equal(100_000, new DistributedMemory(100_000, new DistributedMemoryOptions { FeatureCount = 1_000_000, ProjectionStorage = ProjectionStorage.OnDemand, ProjectionBlockSize = 16 }).Dimension);
    }

    [Fact]
    public void RowsTimesDimensionDoesNotOverflowTheLengthChecks()
    {
        var matrix = new MemoryMatrix(8, new MemoryMatrixOptions());
        var e = Assert.Throws<ArgumentException>(() => matrix.AddRange(new float[16], int.MaxValue));
        Assert.Equal("patterns", e.ParamName);
        Assert.Contains($"{(long)int.MaxValue * 8}", e.Message);
        var distributed = new DistributedMemory(8, new DistributedMemoryOptions { FeatureCount = 16 });
        Assert.Equal("patterns", Assert.Throws<ArgumentException>(() => distributed.AddRange(new float[16], int.MaxValue)).ParamName);
    }

    [Fact]
    public void BetaAboveTheDocumentedLimitIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMatrixOptions { Beta = 1e31 });
        Assert.Equal("Beta", e.ParamName);
        Assert.Contains("at most 1E+30", e.Message);
        Assert.Equal(MemoryLimits.MaxBeta, new DistributedMemoryOptions { Beta = MemoryLimits.MaxBeta }.Beta);
    }

    [Fact]
    public void AnEvaluatorBatchThatCannotFitIsRefused()
    {
        var memory = new MemoryMatrix(4096, new MemoryMatrixOptions());
        memory.Add(new float[4096]);
        Assert.Equal("maxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => ManagedBackend.Instance.CreateEvaluator(memory, 1 << 20)).ParamName);
    }
}

/// <summary>The ML.NET stages refuse a vector column whose batch cannot fit, naming the column, before reading a row.</summary>
public sealed class StageSizeLimitTests
{
    private sealed class Row
    {
        public float[] Pixels { get; set; } = [];
    }

    [Fact]
    public void AColumnTooLargeForABatchIsRefusedWhenTheSchemaIsBound()
    {
        var ml = new MLContext();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 192_000_000);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<Row>(), definition);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AssociativeMemory.Occlude("Occluded", "Visible", "Pixels").Fit(empty));
        Assert.Contains("A batch of 64 rows of column 'Pixels' (192000000 values each) needs 12,288,000,000 values", e.Message);
    }
}
