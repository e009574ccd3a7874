using DrDam.ML.Compute;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

/// <summary>What every non-default backend must do like the managed one; each backend's test class derives from it.</summary>
public abstract class BackendContractTests(IComputeBackend backend, BackendParity sizes)
{
    protected IComputeBackend Backend { get; } = backend;

    [Theory]
    [InlineData(EnergyKind.L2)]
    [InlineData(EnergyKind.Dot)]
    [InlineData(EnergyKind.CosineDot)]
    [InlineData(EnergyKind.Epanechnikov)]
    public void MemoryMatrixStepMatchesTheManagedBackend(EnergyKind energy)
        => sizes.EnergyAndGradientAgree(sizes.Matrix(energy), Backend);

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.Cos, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.PositiveExpExp, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, false)]
    [InlineData(FeatureBasisKind.Cos, ProjectionStorage.OnDemand, false)]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.Cached, true)]
    [InlineData(FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, true)]
    [InlineData(FeatureBasisKind.PositiveExpExp, ProjectionStorage.OnDemand, true)]
    public void DistributedMemoryStepMatchesTheManagedBackend(FeatureBasisKind basis, ProjectionStorage storage, bool linearAttention)
        => sizes.EnergyAndGradientAgree(sizes.Distributed(basis, storage, linearAttention), Backend);

    [Fact]
    public void RetrievalWithMasksMatchesTheManagedBackend()
    {
        sizes.RetrievalAgrees(sizes.Matrix(EnergyKind.L2), Backend);
        sizes.RetrievalAgrees(sizes.Distributed(FeatureBasisKind.SinCos, ProjectionStorage.OnDemand), Backend);
    }

    [Fact]
    public void StaleEvaluatorsAndBadBatchesAreRefused()
    {
        var memory = sizes.Matrix(EnergyKind.L2);
        using var evaluator = Backend.CreateEvaluator(memory, 4);
        memory.Add(new float[sizes.D]);
        var error = Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(new float[sizes.D], 1, new double[1], new float[sizes.D]));
        Assert.Contains("changed", error.Message);
        Assert.Equal("maxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => Backend.CreateEvaluator(memory, 0)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => Backend.CreateEvaluator(new MemoryMatrix(sizes.D, new MemoryMatrixOptions()), 4));
        Assert.Equal("memory", empty.ParamName);
        Assert.Contains("no patterns", empty.Message);
    }
}
