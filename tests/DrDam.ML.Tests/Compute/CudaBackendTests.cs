using DrDam.ML.Compute;
using DrDam.ML.Compute.Ilgpu;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

/// <summary>
/// The GPU backends against the managed one on a CUDA device: the checks run on the lent GPU machine
/// (benchmarks/gpu/run.sh) and skip wherever no CUDA device exists, as on CI. Batches of 12 rows take the tiled
/// products, batches of 4 the few-row ones.
/// </summary>
[Collection(nameof(IlgpuCollection))]
public sealed class CudaBackendTests
{
    public static TheoryData<string, int> BackendsAndBatches => new() { { "torch", 12 }, { "torch", 4 }, { "ilgpu", 12 }, { "ilgpu", 4 } };

    [SkippableTheory]
    [MemberData(nameof(BackendsAndBatches))]
    public void MemoryMatrixStepsMatchTheManagedBackend(string name, int batch)
    {
        using var backend = Cuda(name);
        var sizes = BackendParity.Default with { Queries = batch };
        foreach (var energy in Enum.GetValues<EnergyKind>())
            sizes.EnergyAndGradientAgree(sizes.Matrix(energy), backend.Value);
    }

    [SkippableTheory]
    [MemberData(nameof(BackendsAndBatches))]
    public void DistributedMemoryStepsMatchTheManagedBackend(string name, int batch)
    {
        using var backend = Cuda(name);
        var sizes = BackendParity.Default with { Queries = batch };
        foreach (var basis in Enum.GetValues<FeatureBasisKind>())
            foreach (var storage in new[] { ProjectionStorage.Cached, ProjectionStorage.CachedBFloat16, ProjectionStorage.OnDemand })
                sizes.EnergyAndGradientAgree(sizes.Distributed(basis, storage), backend.Value);
        sizes.EnergyAndGradientAgree(sizes.Distributed(FeatureBasisKind.SinCos, ProjectionStorage.Cached, linearAttention: true), backend.Value);
    }

    /// <summary>Y = 7,001 features: on CUDA the Torch backend cuts a 4-row batch's backward product into 2 slices of 3,500 rows and 1 row left over.</summary>
    [SkippableTheory]
    [InlineData("torch")]
    [InlineData("ilgpu")]
    public void SkinnyStepsOverManyFeaturesMatchTheManagedBackend(string name)
    {
        using var backend = Cuda(name);
        var sizes = BackendParity.Default with { Queries = 4, FeatureCount = 2 * TorchDistributedMemoryEvaluator.CudaBackwardSliceRows + 1001 };
        sizes.EnergyAndGradientAgree(sizes.Distributed(FeatureBasisKind.SinCos), backend.Value);
    }

    [SkippableTheory]
    [MemberData(nameof(BackendsAndBatches))]
    public void RetrievalWithMasksMatchesTheManagedBackend(string name, int batch)
    {
        using var backend = Cuda(name);
        var sizes = BackendParity.Default with { Queries = batch };
        sizes.RetrievalAgrees(sizes.Matrix(EnergyKind.L2), backend.Value);
        sizes.RetrievalAgrees(sizes.Distributed(FeatureBasisKind.SinCos, ProjectionStorage.Cached), backend.Value);
        sizes.RetrievalAgrees(sizes.Distributed(FeatureBasisKind.SinCos, ProjectionStorage.OnDemand), backend.Value);
    }

    // The backend on CUDA, or the test skipped where there is none; disposed with the test.
    private static Owned Cuda(string name)
    {
        var available = name == "torch" ? TorchBackend.CudaAvailable() : IlgpuBackend.CudaAvailable();
        Skip.IfNot(available, $"no CUDA device for {name} on this machine: the GPU checks run on the lent GPU machine only");
        IComputeBackend backend = name == "torch" ? new TorchBackend(ComputeDevice.Cuda) : new IlgpuBackend(ComputeDevice.Cuda);
        Assert.EndsWith("-cuda", backend.Name);
        return new Owned(backend);
    }

    private sealed class Owned(IComputeBackend value) : IDisposable
    {
        public IComputeBackend Value { get; } = value;

        public void Dispose() => (Value as IDisposable)?.Dispose();
    }
}
