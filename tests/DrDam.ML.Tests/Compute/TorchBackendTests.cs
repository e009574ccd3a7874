using DrDam.ML.Compute;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

public sealed class TorchBackendTests
{
    private static readonly TorchBackend Backend = new(ComputeDevice.Cpu);

    [Theory]
    [InlineData(EnergyKind.L2)]
    [InlineData(EnergyKind.Dot)]
    [InlineData(EnergyKind.CosineDot)]
    [InlineData(EnergyKind.Epanechnikov)]
    public void MemoryMatrixStepMatchesTheManagedBackend(EnergyKind energy)
        => BackendParity.Default.EnergyAndGradientAgree(BackendParity.Default.Matrix(energy), Backend);

    [Theory]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.Cos, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.PositiveExpExp, ProjectionStorage.Cached, false)]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.OnDemand, false)]
    [InlineData(FeatureBasisKind.SinCos, ProjectionStorage.Cached, true)]
    [InlineData(FeatureBasisKind.PositiveExp, ProjectionStorage.Cached, true)]
    public void DistributedMemoryStepMatchesTheManagedBackend(FeatureBasisKind basis, ProjectionStorage storage, bool linearAttention)
        => BackendParity.Default.EnergyAndGradientAgree(BackendParity.Default.Distributed(basis, storage, linearAttention), Backend);

    [Fact]
    public void RetrievalWithMasksMatchesTheManagedBackend()
    {
        BackendParity.Default.RetrievalAgrees(BackendParity.Default.Matrix(EnergyKind.L2), Backend);
        BackendParity.Default.RetrievalAgrees(BackendParity.Default.Distributed(FeatureBasisKind.SinCos), Backend);
    }

    [Fact]
    public void ClippedInnerProductsGiveTheClipEnergyAndAZeroGradient()
    {
        // Far queries at high β: the kernel is ~0 and the 64-feature estimate of ⟨φ, T⟩ is often ≤ ε.
        var memory = new DistributedMemory(4, new DistributedMemoryOptions { Beta = 400, FeatureCount = 64, Seed = 1 });
        memory.Add([0.5f, 0, 0, 0]);
        var far = Oracle.Uniform(new Random(6), 20 * 4, -0.5, 0);
        var (expected, expectedGradients) = memory.EnergyAndGradient(far, 20);
        var (energies, gradients) = memory.EnergyAndGradient(far, 20, Backend);
        var clipEnergy = -Math.Log(DistributedMemoryOptions.DefaultLogClip) / 400;
        var clipped = Enumerable.Range(0, 20).Where(q => Math.Abs(expected[q] - clipEnergy) < 1e-12).ToList();
        Assert.NotEmpty(clipped);
        foreach (var q in clipped)
        {
            Assert.Equal(clipEnergy, energies[q], 9);
            Assert.All(expectedGradients.AsSpan(q * 4, 4).ToArray(), g => Assert.Equal(0f, g));
            Assert.All(gradients.AsSpan(q * 4, 4).ToArray(), g => Assert.Equal(0f, g));
        }
    }

    [SkippableFact]
    public void CudaIsRefusedWhereTorchFindsNoGpu()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "a CUDA device exists here");
        var error = Assert.Throws<InvalidOperationException>(() => new TorchBackend(ComputeDevice.Cuda));
        Assert.Contains("device = Cuda", error.Message);
    }

    [Fact]
    public void StaleEvaluatorsAndBadBatchesAreRefused()
    {
        var memory = BackendParity.Default.Matrix(EnergyKind.L2);
        using var evaluator = Backend.CreateEvaluator(memory, 4);
        memory.Add(new float[BackendParity.Default.D]);
        var error = Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(new float[BackendParity.Default.D], 1, new double[1], new float[BackendParity.Default.D]));
        Assert.Contains("changed", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Backend.CreateEvaluator(memory, 0));
    }
}

public sealed class ComputeBackendsTests
{
    [Fact]
    public void EachKindGivesItsBackendAndAutoFallsBackToManagedWithoutAGpu()
    {
        Assert.Same(ManagedBackend.Instance, ComputeBackends.Create(ComputeBackendKind.Managed));
        Assert.Equal("torch", ComputeBackends.Create(ComputeBackendKind.Torch, ComputeDevice.Cpu).Name);
        using (var ilgpu = (DrDam.ML.Compute.Ilgpu.IlgpuBackend)ComputeBackends.Create(ComputeBackendKind.Ilgpu, ComputeDevice.Cpu))
            Assert.Equal("ilgpu-cpu", ilgpu.Name);
        Assert.Same(ManagedBackend.Instance, ComputeBackends.Create(ComputeBackendKind.Auto, ComputeDevice.Cpu));
        if (!TorchSharp.torch.cuda.is_available() && !DrDam.ML.Compute.Ilgpu.IlgpuBackend.CudaAvailable())
            Assert.Same(ManagedBackend.Instance, ComputeBackends.Create(ComputeBackendKind.Auto));
    }

    [Fact]
    public void UndefinedKindsAreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBackends.Create((ComputeBackendKind)9));
        Assert.Equal("kind", error.ParamName);
    }
}
