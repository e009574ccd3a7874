using System.Numerics.Tensors;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// DrDAM step on an ILGPU accelerator, block by block of Ω: S = ZΩ_bᵀ, the basis kernel writes φ and
/// u, ⟨φ,T⟩ and G = UΩ_b accumulate on the device (R's products instead with eq. 32); the host
/// finishes ∇Ê as the managed evaluator does. With on-demand Ω each block's rows are generated on
/// the device from the seed (orthogonal features, which need Gram–Schmidt, are uploaded from the host).
/// </summary>
internal sealed class IlgpuDistributedMemoryEvaluator : EvaluatorBase
{
    private readonly IlgpuBackend backend;
    private readonly DistributedMemory memory;
    private readonly FeatureSpace features;
    private readonly bool generateOnDevice, linearAttention;
    private readonly BasisConstants constants;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> omega, offsets, memoryFirst, memorySecond, attention;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> z, zSquaredNorms, projections, first, second, u, inner, accumulated;
    private readonly float[] hostZ, hostNorms, hostInner, hostAccumulated, hostBlock;

    public IlgpuDistributedMemoryEvaluator(IlgpuBackend backend, DistributedMemory memory, int maxBatch) : base(memory, maxBatch)
    {
        this.backend = backend;
        this.memory = memory;
        features = memory.Features;
        var accelerator = backend.Accelerator;
        var (y, d, block) = (features.FeatureCount, Dimension, features.BlockSize);
        linearAttention = memory.Options.LinearAttention;
        generateOnDevice = features.IsGenerated && !features.Projection.Orthogonal;
        hostBlock = features.IsCached || generateOnDevice ? [] : new float[block * d];
        constants = features.Basis.Constants(y);
        if (!features.IsGenerated)
        {
            // A held Ω (fp32 or bfloat16) lives on the device as fp32, sent a block at a time: Y·D may exceed what one array holds.
            omega = accelerator.Allocate1D<float>((long)y * d);
            for (var b = 0; b < features.BlockCount; b++)
            {
                var (start, n) = features.BlockRange(b);
                omega.View.SubView((long)start * d, (long)n * d).CopyFromCPU(accelerator.DefaultStream, features.Block(b, hostBlock));
            }
        }
        else
            omega = accelerator.Allocate1D<float>((long)block * d);
        var phases = new float[features.Basis.UsesOffsets ? y : 1];
        if (features.Basis.UsesOffsets)
            features.Projection.FillOffsets(0, y, phases);
        offsets = accelerator.Allocate1D(phases);
        var t = memory.Memory;
        memoryFirst = accelerator.Allocate1D(ToSingle(t[..y]));
        memorySecond = accelerator.Allocate1D(features.Basis.Parts == 2 ? ToSingle(t[y..]) : new float[1]);
        attention = accelerator.Allocate1D(linearAttention ? memory.LinearAttentionMemory.ToArray() : new float[1]);
        z = accelerator.Allocate1D<float>((long)maxBatch * d);
        zSquaredNorms = accelerator.Allocate1D<float>(maxBatch);
        projections = accelerator.Allocate1D<float>((long)maxBatch * block);
        first = accelerator.Allocate1D<float>((long)maxBatch * block);
        second = accelerator.Allocate1D<float>((long)maxBatch * block);
        u = accelerator.Allocate1D<float>((long)maxBatch * block);
        inner = accelerator.Allocate1D<float>(maxBatch);
        accumulated = accelerator.Allocate1D<float>((long)maxBatch * d);
        (hostZ, hostNorms, hostInner, hostAccumulated) = (new float[maxBatch * d], new float[maxBatch], new float[maxBatch], new float[maxBatch * d]);
    }

    protected override void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
    {
        var (d, y) = (Dimension, features.FeatureCount);
        var scale = features.ProjectionScale;
        var zRows = hostZ.AsSpan(0, rows * d);
        TensorPrimitives.Multiply(states, scale, zRows);
        for (var r = 0; r < rows; r++)
            hostNorms[r] = TensorPrimitives.Dot<float>(zRows.Slice(r * d, d), zRows.Slice(r * d, d));
        z.View.SubView(0, rows * d).CopyFromCPU(backend.Accelerator.DefaultStream, zRows);
        zSquaredNorms.View.SubView(0, rows).CopyFromCPU(backend.Accelerator.DefaultStream, hostNorms.AsSpan(0, rows));
        var kernels = backend.Kernels;
        var parts = features.Basis.Parts;
        for (var b = 0; b < features.BlockCount; b++)
        {
            var (start, n) = features.BlockRange(b);
            var omegaBlock = BlockOfOmega(b, start, n);
            kernels.Multiply(z.View, omegaBlock, projections.View, rows, n, d, transposeB: true, accumulate: false);
            kernels.Features(new Index2D(n, rows), projections.View, offsets.View, zSquaredNorms.View, memoryFirst.View, memorySecond.View,
                first.View, second.View, u.View, n, start, (int)features.Basis.Kind, constants.Scale, constants.LogShift);
            kernels.Multiply(first.View, memoryFirst.View.SubView(start, n), inner.View, rows, 1, n, transposeB: false, accumulate: b > 0);
            if (parts == 2)
                kernels.Multiply(second.View, memorySecond.View.SubView(start, n), inner.View, rows, 1, n, transposeB: false, accumulate: true);
            if (!linearAttention)
                kernels.Multiply(u.View, omegaBlock, accumulated.View, rows, d, n, transposeB: false, accumulate: b > 0);
            else
            {
                kernels.Multiply(first.View, attention.View.SubView((long)start * d, (long)n * d), accumulated.View, rows, d, n, transposeB: false, accumulate: b > 0);
                if (parts == 2)
                    kernels.Multiply(second.View, attention.View.SubView((long)(y + start) * d, (long)n * d), accumulated.View, rows, d, n, transposeB: false, accumulate: true);
            }
        }
        backend.Accelerator.Synchronize();
        inner.View.SubView(0, rows).CopyToCPU(backend.Accelerator.DefaultStream, hostInner.AsSpan(0, rows));
        accumulated.View.SubView(0, rows * d).CopyToCPU(backend.Accelerator.DefaultStream, hostAccumulated.AsSpan(0, rows * d));
        for (var r = 0; r < rows; r++)
        {
            energies[r] = DistributedGradient.Write(states.Slice(r * d, d), hostZ.AsSpan(r * d, d), hostAccumulated.AsSpan(r * d, d), hostInner[r],
                constants.SelfPerInner * hostInner[r], memory.Options.LogClip, memory.Beta, scale, linearAttention, gradients.Slice(r * d, d));
        }
    }

    private ArrayView<float> BlockOfOmega(int block, int start, int n)
    {
        var d = Dimension;
        if (!features.IsGenerated)
            return omega.View.SubView((long)start * d, (long)n * d);
        var view = omega.View.SubView(0, (long)n * d);
        if (generateOnDevice)
            backend.Kernels.OmegaRows(new Index2D((d + 1) / 2, n), view, d, start, features.Projection.Seed);
        else
        {
            features.Block(block, hostBlock);
            view.CopyFromCPU(backend.Accelerator.DefaultStream, hostBlock.AsSpan(0, n * d));
        }
        return view;
    }

    public override void Dispose()
    {
        foreach (var buffer in new MemoryBuffer[] { omega, offsets, memoryFirst, memorySecond, attention, z, zSquaredNorms, projections, first, second, u, inner, accumulated })
            buffer.Dispose();
        base.Dispose();
    }
}
