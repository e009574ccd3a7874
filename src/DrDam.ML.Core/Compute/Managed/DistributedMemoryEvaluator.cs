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
/// <remarks>
/// A skinny batch (at most <see cref="Sgemm.SkinnyRows"/> rows) does 4·B flops per value of Ω, so its step is bound by
/// reading Ω: <see cref="SkinnySlices"/> takes each block a few rows at a time through both products, so that Ω comes
/// from memory once per step instead of twice (docs/ROOFLINE.md). A bfloat16 Ω is read in place, the kernels widening
/// it as they load it, and an Ω made on demand is regenerated slice by slice (orthogonal rows excepted: a slice would
/// recompute its group's prefix). Larger batches, and eq. 32's R, take a whole block per product. Both run the basis
/// and the products' fold over the same slices of <see cref="Sgemm.SliceDepth"/> rows, so a row's arithmetic is the
/// same in either.
/// </remarks>
internal sealed unsafe class DistributedMemoryEvaluator : EvaluatorBase
{
    private readonly DistributedMemory memory;
    private readonly FeatureSpace features;
    private readonly float[] memoryFirst, memorySecond;
    private readonly float[] z, projections, u, first, second, accumulated;
    private readonly AlignedBlock<float> omega; // regenerated or widened rows of Ω, on cache lines as the cached blocks are
    private readonly float[] zSquaredNorms;
    private readonly double[] inner, selfCoefficients;
    private readonly int blockSize;
    private readonly ChunkedLoop backward, regenerate;
    private readonly SkinnySlices skinnySlices;
    private readonly float[] transposedZ;
    private int currentBlock, currentCount, regenerateStart;

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
        // A block of rows is regenerated or widened only for batches beyond the skinny rows, eq. 32's R, or orthogonal rows
        // made on demand; skinny steps otherwise read a bfloat16 Ω in place or generate it round by round (fig1 on demand
        // at B = 4: 50 MB less).
        var needsBlock = !features.IsCached && (maxBatch > Sgemm.SkinnyRows || memory.Options.LinearAttention || (features.IsGenerated && features.Projection.Orthogonal));
        omega = needsBlock ? new AlignedBlock<float>(blockSize * Dimension) : default;
        zSquaredNorms = new float[maxBatch];
        inner = new double[maxBatch];
        selfCoefficients = new double[maxBatch];
        transposedZ = Pinned(Sgemm.SkinnyRows * Dimension);
        skinnySlices = new SkinnySlices(features, memoryFirst, memorySecond,
            new SkinnySlices.Buffers(transposedZ, zSquaredNorms, accumulated, inner, selfCoefficients), Math.Min(maxBatch, Sgemm.SkinnyRows));
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
        // With eq. 32's R, G sums both parts of a block in turn: SkinnySlices would add them in another order.
        var skinny = rows <= Sgemm.SkinnyRows && !linear;
        if (skinny)
            StepSkinny(rows);
        else
            for (var b = 0; b < features.BlockCount; b++)
            {
                var (start, n) = features.BlockRange(b);
                if (!features.IsCached)
                    Regenerate(start, n);
                // A cached block is read in place (rows CachedRowStride apart), any other from the buffer (D apart).
                var stride = d;
                var rowsOfOmega = features.IsCached ? features.Rows(b, default, out stride) : omega.Span[..(n * d)];
                Step(b, n, rowsOfOmega, stride, rows, accumulate: b > 0);
            }
        for (var r = 0; r < rows; r++)
        {
            energies[r] = DistributedGradient.Write(states.Slice(r * d, d), z.AsSpan(r * d, d), accumulated.AsSpan(r * d, d), inner[r], selfCoefficients[r],
                memory.Options.LogClip, memory.Beta, scale, linear, gradients.Slice(r * d, d));
        }
    }

    // Block b, whose rows start at omegaRows, ld floats apart: S = ZΩᵀ, the basis, then G (+)= UΩ.
    private void Step(int block, int count, ReadOnlySpan<float> omegaRows, int ld, int rows, bool accumulate)
    {
        var d = Dimension;
        var start = features.BlockRange(block).Start;
        (currentBlock, currentCount) = (block, count);
        var linear = memory.Options.LinearAttention;
        fixed (float* pz = z, ps = projections, pu = u, pg = accumulated, po = omegaRows)
        {
            Sgemm.Multiply(pz, d, po, ld, transposeB: true, ps, count, rows, count, d, accumulate: false);
            backward.Run(rows);
            if (!linear)
                Sgemm.Multiply(pu, count, po, ld, transposeB: false, pg, d, rows, d, count, accumulate);
        }
        if (linear)
            AccumulateLinearAttention(start, count, rows, accumulate);
    }

    // A skinny batch: the slices of every block in one loop, Ω cached or bfloat16 (read in place, the kernels widening
    // bfloat16 as they load it) or made on demand slice by slice; orthogonal rows made on demand a block at a time into
    // the buffer (a slice would redo its group's prefix).
    private void StepSkinny(int rows)
    {
        var d = Dimension;
        fixed (float* pz = z, pt = transposedZ)
            Sgemm.TransposeSkinny(pz, d, rows, d, pt);
        if (!features.IsGenerated || !features.Projection.Orthogonal)
        {
            var source = features.IsCached ? SkinnySlices.OmegaSource.Cached
                : features.IsRounded ? SkinnySlices.OmegaSource.Rounded : SkinnySlices.OmegaSource.Generated;
            skinnySlices.Run(0, features.BlockCount, rows, source);
            return;
        }
        for (var b = 0; b < features.BlockCount; b++)
        {
            var (start, n) = features.BlockRange(b);
            Regenerate(start, n);
            fixed (float* buffer = omega.Span)
                skinnySlices.Run(b, 1, rows, SkinnySlices.OmegaSource.Buffer, (byte*)buffer);
        }
    }

    // φ, u and the shares of ⟨φ,T⟩ and c for the current rows of Ω, one slice of Sgemm.SliceDepth at a time.
    private void Backward(int from, int to)
    {
        var (start, n) = (features.BlockRange(currentBlock).Start, currentCount);
        var offsets = features.Offsets(currentBlock);
        for (var r = from; r < to; r++)
        {
            var s = projections.AsSpan(r * n, n);
            if (!offsets.IsEmpty)
                TensorPrimitives.Add(s, offsets, s);
            for (var at = 0; at < n; at += Sgemm.SliceDepth)
            {
                var length = Math.Min(Sgemm.SliceDepth, n - at);
                var (h, c) = features.Basis.Backward(s.Slice(at, length), zSquaredNorms[r], features.FeatureCount,
                    memoryFirst.AsSpan(start + at, length), memorySecond.Length == 0 ? default : memorySecond.AsSpan(start + at, length),
                    first.AsSpan(r * n + at, length), features.Basis.Parts == 2 ? second.AsSpan(r * n + at, length) : default, u.AsSpan(r * n + at, length));
                inner[r] += h;
                selfCoefficients[r] += c;
            }
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

    // Rows [start, start + n) of Ω into the buffer: from the seed (in parallel, except orthogonal groups) or the bfloat16 copy.
    private void Regenerate(int start, int n)
    {
        if (features.IsGenerated && features.Projection.Orthogonal)
        {
            features.FillRows(start, n, omega.Span[..(n * Dimension)]);
            return;
        }
        regenerateStart = start;
        regenerate.Run(n);
    }

    public override void Dispose()
    {
        skinnySlices.Dispose();
        base.Dispose();
    }

    private void RegenerateRows(int from, int to)
        => features.FillRows(regenerateStart + from, to - from, omega.Span.Slice(from * Dimension, (to - from) * Dimension));
}
