using System.Numerics.Tensors;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using ILGPU;
using ILGPU.Runtime;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// DrDAM step on an ILGPU accelerator, pass by pass over Ω's rows: S = ZΩ_bᵀ, the basis kernel writes φ
/// and u, ⟨φ,T⟩ and G = UΩ_b accumulate on the device (R's products instead with eq. 32); the host
/// finishes ∇Ê as the managed evaluator does. Held Ω lives on the device and a pass takes many blocks
/// (all of Ω for a skinny batch); with on-demand Ω a pass is one block, generated on the device from the
/// seed (orthogonal features, which need Gram–Schmidt, are uploaded from the host).
/// </summary>
internal sealed class IlgpuDistributedMemoryEvaluator : EvaluatorBase
{
    private readonly IlgpuBackend backend;
    private readonly DistributedMemory memory;
    private readonly FeatureSpace features;
    private readonly bool generateOnDevice, linearAttention;
    private readonly int passRows;
    private readonly BasisConstants constants;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> omega, offsets, memoryFirst, memorySecond, attention;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> z, zSquaredNorms, projections, first, second, u, inner, accumulated;
    private readonly float[] hostZ, hostNorms, hostInner, hostAccumulated, hostBlock;

    /// <summary>The most values (rows × Ω's rows) of the per-pass buffers where Ω is held on the device.</summary>
    public const long PassValues = 1 << 24;

    public IlgpuDistributedMemoryEvaluator(IlgpuBackend backend, DistributedMemory memory, int maxBatch, long passValues = PassValues) : base(memory, maxBatch)
    {
        this.backend = backend;
        this.memory = memory;
        features = memory.Features;
        var accelerator = backend.Accelerator;
        var (y, d, block) = (features.FeatureCount, Dimension, features.BlockSize);
        linearAttention = memory.Options.LinearAttention;
        generateOnDevice = features.IsGenerated && !features.Projection.Orthogonal;
        hostBlock = features.IsGenerated && !generateOnDevice ? new float[block * d] : [];
        constants = features.Basis.Constants(y);
        passRows = PassRows(features, maxBatch, passValues);
        if (!features.IsGenerated)
        {
            // A held Ω (fp32 or bfloat16) lives on the device as fp32, sent a block at a time: Y·D may exceed what one array holds.
            omega = accelerator.Allocate1D<float>((long)y * d);
            var staging = new float[block * d]; // rows D apart, as the kernels read them (a cached block's rows may be padded)
            for (var b = 0; b < features.BlockCount; b++)
            {
                var (start, n) = features.BlockRange(b);
                features.FillRows(start, n, staging.AsSpan(0, n * d));
                omega.View.SubView((long)start * d, (long)n * d).CopyFromCPU(accelerator.DefaultStream, staging.AsSpan(0, n * d));
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
        projections = accelerator.Allocate1D<float>((long)maxBatch * passRows);
        first = accelerator.Allocate1D<float>((long)maxBatch * passRows);
        second = accelerator.Allocate1D<float>((long)maxBatch * passRows);
        u = accelerator.Allocate1D<float>((long)maxBatch * passRows);
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
        for (var start = 0; start < y; start += passRows)
        {
            var n = Math.Min(passRows, y - start);
            var omegaBlock = RowsOfOmega(start, n);
            kernels.Multiply(z.View, omegaBlock, projections.View, rows, n, d, transposeB: true, accumulate: false);
            kernels.Features(new Index2D(n, rows), projections.View, offsets.View, zSquaredNorms.View, memoryFirst.View, memorySecond.View,
                first.View, second.View, u.View, n, start, (int)features.Basis.Kind, constants.Scale, constants.LogShift);
            kernels.Multiply(first.View, memoryFirst.View.SubView(start, n), inner.View, rows, 1, n, transposeB: false, accumulate: start > 0);
            if (parts == 2)
                kernels.Multiply(second.View, memorySecond.View.SubView(start, n), inner.View, rows, 1, n, transposeB: false, accumulate: true);
            if (!linearAttention)
                kernels.Multiply(u.View, omegaBlock, accumulated.View, rows, d, n, transposeB: false, accumulate: start > 0);
            else
            {
                kernels.Multiply(first.View, attention.View.SubView((long)start * d, (long)n * d), accumulated.View, rows, d, n, transposeB: false, accumulate: start > 0);
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

    // Rows of Ω one pass takes: a block where Ω is generated (the pass's rows are generated into one block's buffer);
    // where Ω is held on the device, as many whole blocks as keep the per-pass buffers (rows × pass) within passValues,
    // so that a skinny batch takes all of Ω in one pass and launches a few kernels per step instead of a few per block.
    private static int PassRows(FeatureSpace features, int maxBatch, long passValues)
    {
        if (features.IsGenerated)
            return features.BlockSize;
        var blocks = Math.Max(1, passValues / ((long)maxBatch * features.BlockSize));
        return (int)Math.Min(features.FeatureCount, blocks * features.BlockSize);
    }

    private ArrayView<float> RowsOfOmega(int start, int n)
    {
        var d = Dimension;
        if (!features.IsGenerated)
            return omega.View.SubView((long)start * d, (long)n * d);
        var view = omega.View.SubView(0, (long)n * d);
        if (generateOnDevice)
            backend.Kernels.OmegaRows(view, d, start, n, features.Projection.Seed);
        else
        {
            features.Block(start / features.BlockSize, hostBlock);
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
