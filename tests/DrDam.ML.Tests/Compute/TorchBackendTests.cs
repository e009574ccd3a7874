using DrDam.ML.Compute;
using DrDam.ML.Compute.Torch;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;

namespace DrDam.ML.Tests.Compute;

public sealed class TorchBackendTests() : BackendContractTests(CpuBackend, BackendParity.Default)
{
    private static readonly TorchBackend CpuBackend = new(ComputeDevice.Cpu);

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
