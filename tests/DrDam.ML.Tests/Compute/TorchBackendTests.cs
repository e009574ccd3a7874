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

[Collection(nameof(IlgpuCollection))]
public sealed class BackendDeviceTests
{
    [Fact]
    public void EachBackendRunsOnTheCpuWhenAskedAndReportsCudaHonestly()
    {
        Assert.Equal("torch", new TorchBackend(ComputeDevice.Cpu).Name);
        using (var ilgpu = new DrDam.ML.Compute.Ilgpu.IlgpuBackend(ComputeDevice.Cpu))
            Assert.Equal("ilgpu-cpu", ilgpu.Name);
        Assert.Equal(TorchSharp.torch.cuda.is_available(), TorchBackend.CudaAvailable());
        if (!TorchBackend.CudaAvailable())
            Assert.Equal("torch", new TorchBackend().Name);
    }

    [Fact]
    public void UndefinedDevicesAreRefused()
    {
        Assert.Equal("device", Assert.Throws<ArgumentOutOfRangeException>(() => new TorchBackend((ComputeDevice)9)).ParamName);
        Assert.Equal("device", Assert.Throws<ArgumentOutOfRangeException>(() => new DrDam.ML.Compute.Ilgpu.IlgpuBackend((ComputeDevice)9)).ParamName);
    }
}
