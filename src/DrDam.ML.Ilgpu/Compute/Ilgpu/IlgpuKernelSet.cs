using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>The <see cref="IlgpuKernels"/> compiled once for one accelerator, with their launch shapes.</summary>
internal sealed class IlgpuKernelSet(Accelerator accelerator)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int> multiply =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>(IlgpuKernels.Multiply);

    // 16×16 where groups of 256 threads exist (GPUs); ILGPU's CPU accelerator allows 16 threads, so 4×4 there.
    private readonly int tile = accelerator.MaxNumThreadsPerGroup >= IlgpuKernels.MaxTile * IlgpuKernels.MaxTile
        ? IlgpuKernels.MaxTile : (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int, float, float> Weigh { get; } =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int, float, float>(IlgpuKernels.Weigh);

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, float, float> Features { get; } =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, float, float>(IlgpuKernels.Features);

    public Action<Index2D, ArrayView<float>, int, int, ulong> OmegaRows { get; } =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, int, int, ulong>(IlgpuKernels.OmegaRows);

    /// <summary>C (m×n) (+)= A (m×k)·op(B) on ⌈n/tile⌉×⌈m/tile⌉ groups.</summary>
    public void Multiply(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, bool transposeB, bool accumulate)
    {
        var config = new KernelConfig(new Index2D((n + tile - 1) / tile, (m + tile - 1) / tile), new Index2D(tile, tile));
        multiply(config, a, b, c, m, n, k, transposeB ? 1 : 0, accumulate ? 1 : 0, tile);
    }
}
