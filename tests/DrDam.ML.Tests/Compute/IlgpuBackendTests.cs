using DrDam.ML.Compute;
using DrDam.ML.Compute.Ilgpu;
using DrDam.ML.Memory.Energies;
using DrDam.ML.Memory.Features;
using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Tests.Compute;

/// <summary>The ILGPU kernels on ILGPU's CPU accelerator (CUDA where present is the same code), against the managed backend.</summary>
[Collection(nameof(IlgpuCollection))]
public sealed class IlgpuBackendTests(IlgpuBackendTests.CpuAccelerator fixture)
    : BackendContractTests(fixture.Backend, BackendParity.Tiny), IClassFixture<IlgpuBackendTests.CpuAccelerator>
{
    public sealed class CpuAccelerator : IDisposable
    {
        public IlgpuBackend Backend { get; } = new(ComputeDevice.Cpu);

        public void Dispose() => Backend.Dispose();
    }

    private readonly IlgpuBackend backend = fixture.Backend;

    [Theory]
    [InlineData(7, 0, 3)]
    [InlineData(16, 1000, 2)]
    [InlineData(37, 5, 4)]
    public void OmegaRowsGeneratedOnTheDeviceAreTheCpuRows(int dimension, int start, int rows)
    {
        var projection = new RandomProjection(dimension, start + rows, seed: 0xABCDEF12345UL, orthogonal: false);
        var expected = new float[rows * dimension];
        projection.FillRows(start, rows, expected);
        using var buffer = backend.Accelerator.Allocate1D<float>(rows * dimension);
        backend.Kernels.OmegaRows(buffer.View, dimension, start, rows, projection.Seed);
        backend.Accelerator.Synchronize();
        var actual = buffer.GetAsArray1D();
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"entry {i}: device {actual[i]}, CPU {expected[i]}");
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(9, 6, 11, true)]
    [InlineData(5, 10, 7, false)]
    [InlineData(8, 1, 3000, true)] // few rows: ⟨φ, T⟩'s shape, sliced along k and staged in chunks
    [InlineData(8, 1, 3000, false)]
    [InlineData(4, 37, 2100, true)]
    [InlineData(7, 33, 700, false)]
    [InlineData(3, 300, 40, false)]
    public void ProductMatchesAPlainOne(int m, int n, int k, bool transposeB)
    {
        var random = new Random(m * 1000 + n);
        var a = Oracle.Uniform(random, m * k, -1, 1);
        var b = Oracle.Uniform(random, n * k, -1, 1);
        using var da = backend.Accelerator.Allocate1D(a);
        using var db = backend.Accelerator.Allocate1D(b);
        using var dc = backend.Accelerator.Allocate1D(Enumerable.Repeat(1f, m * n).ToArray());
        backend.Kernels.Multiply(da.View, db.View, dc.View, m, n, k, transposeB, accumulate: true);
        backend.Accelerator.Synchronize();
        var c = dc.GetAsArray1D();
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var expected = 1.0;
                for (var t = 0; t < k; t++)
                    expected += a[i * k + t] * (double)(transposeB ? b[j * k + t] : b[t * n + j]);
                Assert.True(Math.Abs(expected - c[i * n + j]) <= 1e-5 * (1 + Math.Abs(expected)), $"C[{i},{j}] = {c[i * n + j]}, expected {expected}");
            }
    }

    [Fact]
    public void HeldOmegaGivesTheSameStepInOnePassAsBlockByBlock()
    {
        var sizes = BackendParity.Tiny;
        var memory = sizes.Distributed(FeatureBasisKind.SinCos);
        var states = Oracle.Uniform(new Random(5), sizes.Queries * sizes.D, 0, 0.4);
        (double[] Energies, float[] Gradients) Step(long passValues)
        {
            using var evaluator = new IlgpuDistributedMemoryEvaluator(backend, memory, sizes.Queries, passValues);
            var (energies, gradients) = (new double[sizes.Queries], new float[states.Length]);
            evaluator.Evaluate(states, sizes.Queries, energies, gradients);
            return (energies, gradients);
        }
        var whole = Step(IlgpuDistributedMemoryEvaluator.PassValues);
        var blocks = Step(sizes.Queries * sizes.BlockSize); // one block per pass: three passes, the last one ragged
        for (var q = 0; q < sizes.Queries; q++)
            Assert.Equal(whole.Energies[q], blocks.Energies[q], 1e-5);
        for (var i = 0; i < states.Length; i++)
            Assert.Equal(whole.Gradients[i], blocks.Gradients[i], 1e-4);
    }

    [SkippableFact]
    public void CudaIsRefusedWhereIlgpuFindsNoGpu()
    {
        Skip.If(IlgpuBackend.CudaAvailable(), "a CUDA device exists here");
        var error = Assert.Throws<InvalidOperationException>(() => new IlgpuBackend(ComputeDevice.Cuda));
        Assert.Contains("device = Cuda", error.Message);
    }
}
