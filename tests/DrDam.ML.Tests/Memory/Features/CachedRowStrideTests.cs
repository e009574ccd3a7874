using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Memory.Features;

/// <summary>
/// A cached fp32 Ω keeps its rows an odd number of cache lines apart (<see cref="FeatureSpace.RowStride"/>): at D = 64
/// a row takes 80 floats. Every reader of the rows (the fit, <see cref="FeatureSpace.Map"/>, <see cref="FeatureSpace.FillRows"/>,
/// <see cref="FeatureSpace.Block"/>, the batched and the skinny steps) must see the same Ω as the seed gives.
/// </summary>
public class CachedRowStrideTests
{
    private const int D = 64, Features = 700, BlockRows = 300;

    [Theory]
    [InlineData(3072, 3088)]
    [InlineData(12_288, 12_304)]
    [InlineData(64, 80)]
    [InlineData(784, 784)] // 49 cache lines
    [InlineData(48, 48)]
    [InlineData(40, 40)] // rows already off the lines
    [InlineData(10, 10)]
    public void RowsOfAnEvenNumberOfCacheLinesGetOneMore(int dimension, int stride)
    {
        Assert.Equal(stride, FeatureSpace.RowStride(dimension));
        if (dimension % 16 == 0)
            Assert.Equal(1, stride / 16 % 2);
    }

    [Fact]
    public void PaddedRowsAreTheSeedsRows()
    {
        var options = new DistributedMemoryOptions { Beta = 4, FeatureCount = Features, ProjectionBlockSize = BlockRows, Seed = 9 };
        var cached = new FeatureSpace(D, options);
        Assert.Equal(80, cached.CachedRowStride);
        var expected = new float[Features * D];
        cached.Projection.FillRows(0, Features, expected);

        var rows = new float[400 * D];
        cached.FillRows(250, 400, rows); // crosses the blocks at 300 and 600
        Assert.Equal(expected[(250 * D)..(650 * D)], rows);
        Assert.Equal(expected[(BlockRows * D)..(2 * BlockRows * D)], cached.Block(1, new float[BlockRows * D]).ToArray());

        var inPlace = cached.Rows(2, default, out var stride).ToArray();
        Assert.Equal(80, stride);
        for (var row = 0; row < Features - 2 * BlockRows; row++)
        {
            Assert.Equal(expected.AsSpan((2 * BlockRows + row) * D, D).ToArray(), inPlace.AsSpan(row * stride, D).ToArray());
            Assert.All(inPlace.AsSpan(row * stride + D, stride - D).ToArray(), value => Assert.Equal(0f, value));
        }

        var state = Oracle.Uniform(new Random(3), D, 0, 0.3);
        var (fromCache, fromSeed) = (new float[cached.FeatureLength], new float[cached.FeatureLength]);
        cached.Map(state, fromCache);
        new FeatureSpace(D, options with { ProjectionStorage = ProjectionStorage.OnDemand }).Map(state, fromSeed);
        Assert.Equal(fromSeed, fromCache);
    }

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, false, 12)]
    [InlineData(FeatureBasisKind.SinCos, false, 4)]
    [InlineData(FeatureBasisKind.PositiveExpExp, true, 12)]
    [InlineData(FeatureBasisKind.PositiveExp, false, 3)]
    public void PaddedStepsGiveTheBitsOfOnDemandOmega(FeatureBasisKind basis, bool linearAttention, int rows)
    {
        var options = new DistributedMemoryOptions
        {
            Beta = 4, FeatureCount = Features, ProjectionBlockSize = BlockRows, Basis = basis, LinearAttention = linearAttention, Seed = 9,
        };
        var patterns = Oracle.Uniform(new Random(1), 20 * D, 0, 0.3);
        var states = Oracle.Uniform(new Random(2), rows * D, 0, 0.3);
        (double[] Energies, float[] Gradients, double[] T) Step(ProjectionStorage storage)
        {
            var memory = new DistributedMemory(D, options with { ProjectionStorage = storage });
            memory.AddRange(patterns, 20);
            using var evaluator = ManagedBackend.Instance.CreateEvaluator(memory, rows);
            var (energies, gradients) = (new double[rows], new float[rows * D]);
            evaluator.Evaluate(states, rows, energies, gradients);
            return (energies, gradients, memory.Memory.ToArray());
        }
        var cached = Step(ProjectionStorage.Cached);
        var onDemand = Step(ProjectionStorage.OnDemand);
        Assert.Equal(onDemand.T, cached.T);
        Assert.Equal(onDemand.Energies, cached.Energies);
        Assert.Equal(onDemand.Gradients, cached.Gradients);
        Assert.All(cached.Gradients, g => Assert.True(float.IsFinite(g)));
    }
}
