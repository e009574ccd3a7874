using System.Numerics.Tensors;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Parallelism;
using DrDam.ML.Memory;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// DrDAM step for a batch (docs/MATH.md §3), block by block of Ω: S = ZΩ_bᵀ with Z = √β·X, the basis
/// turns S into φ, ⟨φ,T⟩ and u, and G += UΩ_b; finally
/// ∇Ê = −(G + c·z)/(√β·⟨φ,T⟩), or x − φᵀR/⟨φ,T⟩ with eq. 32's R. On demand, each block of Ω is
/// regenerated from the seed into one reused buffer, so no Y×D array exists.
/// </summary>
internal sealed unsafe class DistributedMemoryEvaluator : EvaluatorBase
{
    private readonly DistributedMemory memory;
    private readonly FeatureSpace features;
    private readonly float[] memoryFirst, memorySecond;
    private readonly float[] z, projections, u, first, second, accumulated, omega;
    private readonly float[] zSquaredNorms;
    private readonly double[] inner, selfCoefficients;
    private readonly int blockSize;
    private readonly ChunkedLoop backward, regenerate;
    private int currentBlock, regenerateStart;

    public DistributedMemoryEvaluator(DistributedMemory memory, int maxBatch) : base(memory, maxBatch)
    {
        this.memory = memory;
        features = memory.Features;
        var y = features.FeatureCount;
        blockSize = features.BlockSize;
        var t = memory.Memory;
        memoryFirst = ToSingle(t[..y]);
        memorySecond = features.Basis.Parts == 2 ? ToSingle(t[y..]) : [];
        z = Pinned(maxBatch * Dimension);
        accumulated = Pinned(maxBatch * Dimension);
        projections = Pinned(maxBatch * blockSize);
        u = Pinned(maxBatch * blockSize);
        first = Pinned(maxBatch * blockSize);
        second = Pinned(maxBatch * blockSize);
        omega = features.IsCached ? [] : Pinned(blockSize * Dimension);
        zSquaredNorms = new float[maxBatch];
        inner = new double[maxBatch];
        selfCoefficients = new double[maxBatch];
        backward = new ChunkedLoop(Backward);
        regenerate = new ChunkedLoop(RegenerateRows);
    }

    private static float[] Pinned(int length) => GC.AllocateUninitializedArray<float>(length, pinned: true);

    protected override void EvaluateCore(ReadOnlySpan<float> states, int rows, Span<double> energies, Span<float> gradients)
    {
        var d = Dimension;
        var scale = features.ProjectionScale;
        TensorPrimitives.Multiply(states, scale, z.AsSpan(0, rows * d));
        for (var r = 0; r < rows; r++)
            zSquaredNorms[r] = TensorPrimitives.Dot<float>(z.AsSpan(r * d, d), z.AsSpan(r * d, d));
        Array.Clear(inner);
        Array.Clear(selfCoefficients);
        var linear = memory.Options.LinearAttention;
        for (var b = 0; b < features.BlockCount; b++)
        {
            var (start, n) = features.BlockRange(b);
            if (!features.IsCached)
                Regenerate(start, n);
            currentBlock = b;
            fixed (float* pz = z, ps = projections, pu = u, pg = accumulated, po = features.IsCached ? features.Block(b, default) : omega)
            {
                Sgemm.Multiply(pz, d, po, d, transposeB: true, ps, n, rows, n, d, accumulate: false);
                backward.Run(rows);
                if (!linear)
                    Sgemm.Multiply(pu, n, po, d, transposeB: false, pg, d, rows, d, n, accumulate: b > 0);
            }
            if (linear)
                AccumulateLinearAttention(start, n, rows, b > 0);
        }
        for (var r = 0; r < rows; r++)
        {
            energies[r] = DistributedGradient.Write(states.Slice(r * d, d), z.AsSpan(r * d, d), accumulated.AsSpan(r * d, d), inner[r], selfCoefficients[r],
                memory.Options.LogClip, memory.Beta, scale, linear, gradients.Slice(r * d, d));
        }
    }

    private void Backward(int from, int to)
    {
        var (start, n) = features.BlockRange(currentBlock);
        var offsets = features.Offsets(currentBlock);
        var t0 = memoryFirst.AsSpan(start, n);
        var t1 = memorySecond.Length == 0 ? default : memorySecond.AsSpan(start, n);
        for (var r = from; r < to; r++)
        {
            var s = projections.AsSpan(r * n, n);
            if (!offsets.IsEmpty)
                TensorPrimitives.Add(s, offsets, s);
            var (h, c) = features.Basis.Backward(s, zSquaredNorms[r], features.FeatureCount, t0, t1,
                first.AsSpan(r * n, n), features.Basis.Parts == 2 ? second.AsSpan(r * n, n) : default, u.AsSpan(r * n, n));
            inner[r] += h;
            selfCoefficients[r] += c;
        }
    }

    // G (+)= Φ_first·R[start..start+n) + Φ_second·R[Y+start..Y+start+n)
    private void AccumulateLinearAttention(int start, int n, int rows, bool accumulate)
    {
        var d = Dimension;
        var y = features.FeatureCount;
        fixed (float* pf = first, psec = second, pg = accumulated, pr = memory.LinearAttentionMemory)
        {
            Sgemm.Multiply(pf, n, pr + (long)start * d, d, transposeB: false, pg, d, rows, d, n, accumulate);
            if (features.Basis.Parts == 2)
                Sgemm.Multiply(psec, n, pr + (long)(y + start) * d, d, transposeB: false, pg, d, rows, d, n, accumulate: true);
        }
    }

    private void Regenerate(int start, int n)
    {
        var d = Dimension;
        var projection = features.Projection;
        if (projection.Orthogonal)
        {
            projection.FillRows(start, n, omega.AsSpan(0, n * d));
            return;
        }
        regenerateStart = start;
        regenerate.Run(n);
    }

    private void RegenerateRows(int from, int to)
        => features.Projection.FillRows(regenerateStart + from, to - from, omega.AsSpan(from * Dimension, (to - from) * Dimension));
}
