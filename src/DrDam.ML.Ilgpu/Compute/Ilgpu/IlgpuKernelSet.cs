using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// The <see cref="IlgpuKernels"/> compiled once for one accelerator, with their launch shapes, and the scratch
/// buffer of the few-row products' slices.
/// </summary>
internal sealed class IlgpuKernelSet(Accelerator accelerator) : IDisposable
{
    // Slices of a few-row product: enough groups to fill the device (one thread per column per slice, or one warp per
    // row of B per slice), at most this many (SumSlices adds them one after another).
    private const int MaxSlices = 256;

    private MemoryBuffer1D<float, Stride1D.Dense>? partials;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int> fewRowsTransposed =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int>(IlgpuKernels.MultiplyFewRowsTransposed);

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int> fewRowsSliced =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(IlgpuKernels.MultiplyFewRowsSliced);

    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int> sumSlices =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>(IlgpuKernels.SumSlices);

    // The largest group of whole warps up to 256 threads: the few-row products' groups, and one row's group in Weigh
    // (8 warps striding over the K scores on a GPU).
    private readonly int group = Math.Min(256, accelerator.MaxNumThreadsPerGroup) / accelerator.WarpSize * accelerator.WarpSize;

    private readonly long residentThreads = (long)accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int> multiply =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>(IlgpuKernels.Multiply);

    // 16×16 where groups of 256 threads exist (GPUs); ILGPU's CPU accelerator allows 16 threads, so 4×4 there.
    private readonly int tile = accelerator.MaxNumThreadsPerGroup >= IlgpuKernels.MaxTile * IlgpuKernels.MaxTile
        ? IlgpuKernels.MaxTile : (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup);

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int, float, float> weigh =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int, int, float, float>(IlgpuKernels.Weigh);

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, float, float> Features { get; } =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, float, float>(IlgpuKernels.Features);

    private readonly Action<Index2D, ArrayView<float>, int, int, ulong> omegaRows =
        accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, int, int, ulong>(IlgpuKernels.OmegaRows);

    /// <summary>Generates Ω's rows [start, start + rows) of <paramref name="dimension"/> entries into <paramref name="omega"/> (rows × dimension).</summary>
    public void OmegaRows(ArrayView<float> omega, int dimension, int start, int rows, ulong seed)
        => omegaRows(new Index2D(IlgpuKernels.OmegaCalls(dimension), rows), omega, dimension, start, seed);

    /// <summary>Weights, energy and self coefficient of each of <paramref name="rows"/> score rows, one group per row.</summary>
    public void Weigh(int rows, ArrayView<float> scores, ArrayView<float> patternNorms, ArrayView<float> squaredNorms,
        ArrayView<double> energies, ArrayView<float> selfCoefficients, int count, int kind, float beta, float epsilon)
        => weigh(new KernelConfig(rows, group), scores, patternNorms, squaredNorms, energies, selfCoefficients, count, kind, beta, epsilon);

    /// <summary>
    /// C (m×n) (+)= A (m×k)·op(B): up to <see cref="IlgpuKernels.FewRows"/> rows of A by the few-row kernels (B read
    /// once, sliced along k when m·n alone would leave the device idle), else by the tiled one on ⌈n/tile⌉×⌈m/tile⌉ groups.
    /// </summary>
    public void Multiply(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, bool transposeB, bool accumulate)
    {
        if (m <= IlgpuKernels.FewRows)
        {
            MultiplyFewRows(a, b, c, m, n, k, transposeB, accumulate);
            return;
        }
        var config = new KernelConfig(new Index2D((n + tile - 1) / tile, (m + tile - 1) / tile), new Index2D(tile, tile));
        multiply(config, a, b, c, m, n, k, transposeB ? 1 : 0, accumulate ? 1 : 0, tile);
    }

    private void MultiplyFewRows(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, bool transposeB, bool accumulate)
    {
        // One column of B (k×1) is laid out as one row of Bᵀ: warps stride along it, where a thread per column would walk it alone.
        transposeB |= n == 1;
        // Bᵀ: one warp per row of B and slice; B: one thread per column and slice.
        var (perGroup, workers, grain) = transposeB ? (group / accelerator.WarpSize, residentThreads / accelerator.WarpSize, group) : (group, residentThreads, 32);
        var slices = (int)Math.Clamp((workers + n - 1) / n, 1, Math.Min(MaxSlices, (k + grain - 1) / grain));
        var sliceLength = (k + slices - 1) / slices;
        slices = (k + sliceLength - 1) / sliceLength;
        var config = new KernelConfig(new Index2D((n + perGroup - 1) / perGroup, slices), new Index2D(group, 1));
        var length = (long)m * n;
        if (transposeB && slices == 1)
        {
            fewRowsTransposed(config, a, b, c, m, n, k, accumulate ? 1 : 0, sliceLength);
            return;
        }
        var scratch = Partials(length * slices);
        if (transposeB)
            fewRowsTransposed(config, a, b, scratch, m, n, k, 0, sliceLength);
        else
            fewRowsSliced(config, a, b, scratch, m, n, k, sliceLength);
        sumSlices((int)length, scratch, c, (int)length, slices, accumulate ? 1 : 0);
    }

    private ArrayView<float> Partials(long length)
    {
        if (partials is null || partials.Length < length)
        {
            partials?.Dispose();
            partials = accelerator.Allocate1D<float>(length);
        }
        return partials.View.SubView(0, length);
    }

    /// <summary>Releases the scratch buffer.</summary>
    public void Dispose() => partials?.Dispose();
}
