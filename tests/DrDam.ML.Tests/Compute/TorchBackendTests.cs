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

    /// <summary>
    /// A skinny batch's backward product cut along Ω's rows (what the backend does on CUDA) gives the single product's
    /// step to float rounding: evenly (700 rows in 7 slices of 100) and with rows left over (3 slices of 233, 1 row
    /// after them); a batch above <see cref="DrDam.ML.Compute.Managed.Sgemm.SkinnyRows"/> rows takes the single product.
    /// </summary>
    [Theory]
    [InlineData(100, 4)]
    [InlineData(230, 4)]
    [InlineData(230, 1)]
    [InlineData(230, 12)]
    public void SlicedBackwardProductGivesTheSameStep(int sliceRows, int batch)
    {
        var memory = BackendParity.Default.Distributed(FeatureBasisKind.SinCos);
        var queries = Oracle.Uniform(new Random(3), batch * memory.Dimension, 0, 0.3);
        (double[] Energies, float[] Gradients) Step(int rows)
        {
            using var evaluator = new TorchDistributedMemoryEvaluator(memory, batch, TorchSharp.torch.CPU, rows);
            var (energies, gradients) = (new double[batch], new float[queries.Length]);
            evaluator.Evaluate(queries, batch, energies, gradients);
            return (energies, gradients);
        }
        var (expectedEnergies, expectedGradients) = Step(0);
        var (energies, gradients) = Step(sliceRows);
        Assert.Equal(expectedEnergies, energies);
        var scale = expectedGradients.Max(Math.Abs);
        Assert.All(gradients.Zip(expectedGradients), p => Assert.Equal(p.Second, p.First, 1e-5f * scale));
        if (batch > DrDam.ML.Compute.Managed.Sgemm.SkinnyRows)
            Assert.Equal(expectedGradients, gradients); // not sliced: the same product
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
