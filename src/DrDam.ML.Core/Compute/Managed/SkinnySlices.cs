using System.Runtime.CompilerServices;
using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Parallelism;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// The skinny DrDAM step (docs/ROOFLINE.md, "One pass over Ω per skinny step"): Ω's slices of <see cref="Sgemm.SliceDepth"/>
/// rows, those of every block in one parallel loop, are spread over the cores, and each core takes its slice
/// <see cref="RoundRows"/> rows at a time — the forward product S = ZΩᵀ, the basis's derivatives φ and u, and the
/// backward product's chains G_s += UΩ — so those rows of Ω come from memory once and are read again from the core's
/// L2. The slices' chains and shares of ⟨φ, T⟩ and c are then added in slice order (an ordered fold), which gives the
/// bits of the block-wide products and of the basis over whole slices, whatever the number of cores. A core that
/// finishes a slice before the one ahead of it is folded leaves it parked and goes on with its second scratch; whoever
/// folds a slice folds the parked ones that follow it (docs/ROOFLINE.md, "Slices of every block in one loop").
/// </summary>
internal sealed unsafe class SkinnySlices : IParallelWork, IDisposable
{
    /// <summary>Rows of Ω per round: 16 rows of D floats (768 KB at D = 12,288) stay in a 1 MB L2 between the two products.</summary>
    public const int RoundRows = 16;

    private readonly FeatureSpace features;
    private readonly float[] memoryFirst, memorySecond;
    private readonly Buffers buffers;
    private readonly ThreadLocal<ScratchPair> scratch;
    private readonly int slicesPerBlock;
    private readonly Scratch?[] ready; // finished slices of this run that are not folded yet, by index in the run
    private readonly Lock foldGate = new();
    private int rows, firstSlice, sliceCount;
    private OmegaSource source;
    private byte* buffer;
    private int folded;
    private volatile bool failed;

    /// <summary>Where a slice's rows of Ω come from.</summary>
    public enum OmegaSource
    {
        /// <summary>The cached fp32 block, read in place (rows <see cref="FeatureSpace.CachedRowStride"/> apart).</summary>
        Cached,

        /// <summary>The bfloat16 block, read in place.</summary>
        Rounded,

        /// <summary>Generated from the seed round by round into the core's own round buffer, just before both products read it.</summary>
        Generated,

        /// <summary>The one block the caller wrote into a buffer (orthogonal rows: a slice would recompute its group's prefix).</summary>
        Buffer,
    }

    /// <summary>The evaluator's arrays a step reads (Zᵀ, ‖z‖²) and folds into (G, ⟨φ, T⟩, c); Zᵀ and G are pinned.</summary>
    public sealed record Buffers(float[] TransposedZ, float[] SquaredNorms, float[] Accumulated, double[] Inner, double[] SelfCoefficients);

    public SkinnySlices(FeatureSpace features, float[] memoryFirst, float[] memorySecond, Buffers buffers, int maxRows)
    {
        this.features = features;
        this.memoryFirst = memoryFirst;
        this.memorySecond = memorySecond;
        this.buffers = buffers;
        slicesPerBlock = (features.BlockSize + Sgemm.SliceDepth - 1) / Sgemm.SliceDepth;
        ready = new Scratch?[SliceCount(0, features.BlockCount)];
        var generates = features.IsGenerated && !features.Projection.Orthogonal;
        scratch = new ThreadLocal<ScratchPair>(() => new ScratchPair(maxRows, features.Dimension, generates), trackAllValues: true);
    }

    /// <summary>
    /// Runs the step over blocks [<paramref name="firstBlock"/>, firstBlock + <paramref name="blockCount"/>) for the
    /// first <paramref name="rows"/> rows of Zᵀ, reading Ω from <paramref name="source"/> (with
    /// <see cref="OmegaSource.Buffer"/>, one block whose rows the caller wrote D apart at <paramref name="buffer"/>, pinned).
    /// Returns when every slice's chains and shares are folded into G (which the step's first slice writes and every
    /// later one adds to) and into ⟨φ, T⟩ and c.
    /// </summary>
    public void Run(int firstBlock, int blockCount, int rows, OmegaSource source, byte* buffer = null)
    {
        if (failed)
            Reset();
        (this.rows, this.source) = (rows, source);
        this.buffer = buffer;
        firstSlice = firstBlock * slicesPerBlock;
        sliceCount = SliceCount(firstBlock, blockCount);
        folded = 0;
        WorkerPool.For(sliceCount, this);
        // Normally nothing is left (a holder of the gate looks again after letting go); this keeps "returns folded" local.
        lock (foldGate)
            FoldReady();
    }

    public void Execute(int index)
    {
        try
        {
            ExecuteSlice(index);
        }
        catch
        {
            failed = true; // a core waiting for a scratch must not wait forever
            throw;
        }
    }

    // Slices in blocks [firstBlock, firstBlock + blockCount): every block but the last has slicesPerBlock.
    private int SliceCount(int firstBlock, int blockCount)
    {
        var last = firstBlock + blockCount - 1;
        var lastRows = features.BlockRange(last).Rows;
        return (blockCount - 1) * slicesPerBlock + (lastRows + Sgemm.SliceDepth - 1) / Sgemm.SliceDepth;
    }

    private void ExecuteSlice(int index)
    {
        var local = scratch.Value!.Free(this);
        if (local is null)
            return; // another slice failed; the pool rethrows its exception
        var d = features.Dimension;
        var slice = firstSlice + index;
        var block = slice / slicesPerBlock;
        var (blockStart, blockRows) = features.BlockRange(block);
        var offset = slice % slicesPerBlock * Sgemm.SliceDepth;
        var n = Math.Min(Sgemm.SliceDepth, blockRows - offset);
        var start = blockStart + offset;
        var rounded = source == OmegaSource.Rounded;
        var size = rounded ? sizeof(ushort) : sizeof(float);
        var stride = d;
        fixed (float* cached = source == OmegaSource.Cached ? features.Rows(block, default, out stride) : default)
        fixed (ushort* half = rounded ? features.RoundedBlock(block) : default)
        {
            var sliceRows = source switch
            {
                OmegaSource.Cached => (byte*)cached + (long)offset * stride * size,
                OmegaSource.Rounded => (byte*)half + (long)offset * stride * size,
                OmegaSource.Buffer => buffer + (long)offset * stride * size,
                _ => null, // generated round by round into the scratch
            };
            RunRounds(local, sliceRows, stride, size, rounded, start, offset, n, block);
        }
        local.Parked = true;
        Volatile.Write(ref ready[index], local);
        TryFold();
    }

    // The slice's rounds (forward product, basis, backward chains), then its shares of ⟨φ, T⟩ and c over the whole slice.
    private void RunRounds(Scratch local, byte* sliceRows, int stride, int size, bool rounded, int start, int offset, int n, int block)
    {
        var (d, m) = (features.Dimension, rows);
        var lanes = (m + 3) / 4 * 4; // ContinueChains writes whole halves of the 8-row panel
        new Span<float>(local.Sums, lanes * d).Clear();
        var offsets = features.Offsets(block);
        var basis = features.Basis;
        for (var r0 = 0; r0 < n;)
        {
            // The last round takes what is left (16–31 rows), so every round hands the basis whole 512-bit vectors.
            var length = n - r0 < 2 * RoundRows ? n - r0 : RoundRows;
            var generated = source == OmegaSource.Generated;
            var round = generated ? (byte*)local.Omega : sliceRows + (long)r0 * stride * size;
            if (generated) // a round's rows, generated into L2 just before both products read them
                features.FillRows(start + r0, length, new Span<float>(round, length * d));
            fixed (float* transposedZ = buffers.TransposedZ)
                Sgemm.MultiplyTransposedRows(transposedZ, m, d, round, rounded, stride, local.Projections + r0, Sgemm.SliceDepth, length);
            for (var r = 0; r < m; r++)
            {
                var at = r * Sgemm.SliceDepth + r0;
                var s = new Span<float>(local.Projections + at, length);
                if (!offsets.IsEmpty)
                    System.Numerics.Tensors.TensorPrimitives.Add(s, offsets.Slice(offset + r0, length), s);
                basis.Derivatives(s, buffers.SquaredNorms[r], features.FeatureCount, memoryFirst.AsSpan(start + r0, length),
                    memorySecond.Length == 0 ? default : memorySecond.AsSpan(start + r0, length),
                    new Span<float>(local.First + at, length), basis.Parts == 2 ? new Span<float>(local.Second + at, length) : default, new Span<float>(local.U + at, length));
            }
            Sgemm.ContinueChains(local.U + r0, Sgemm.SliceDepth, round, rounded, stride, local.Sums, d, m, d, length);
            r0 += length;
        }
        for (var r = 0; r < m; r++)
        {
            var at = r * Sgemm.SliceDepth;
            local.Shares[r] = basis.Inner(new ReadOnlySpan<float>(local.First + at, n), basis.Parts == 2 ? new ReadOnlySpan<float>(local.Second + at, n) : default,
                new ReadOnlySpan<float>(local.U + at, n), memoryFirst.AsSpan(start, n), memorySecond.Length == 0 ? default : memorySecond.AsSpan(start, n));
        }
    }

    // Folds what is ready at the front, unless another core holds the gate: that core looks again after letting go of it.
    private void TryFold()
    {
        while (true)
        {
            var next = Volatile.Read(ref folded);
            if (next >= sliceCount || Volatile.Read(ref ready[next]) is null || !foldGate.TryEnter())
                return;
            try
            {
                FoldReady();
            }
            finally
            {
                foldGate.Exit();
            }
            Interlocked.MemoryBarrier(); // the look after letting go must not be served before the release
        }
    }

    // Under the gate, slice after slice in order: G (+)= the slice's chains, and its shares of ⟨φ, T⟩ and c; its scratch is then free.
    private void FoldReady()
    {
        var d = features.Dimension;
        while (folded < sliceCount && ready[folded] is { } local)
        {
            fixed (float* accumulated = buffers.Accumulated)
                Sgemm.AddChains(local.Sums, d, accumulated, d, rows, d, firstSlice + folded > 0);
            for (var r = 0; r < rows; r++)
            {
                buffers.Inner[r] += local.Shares[r].Inner;
                buffers.SelfCoefficients[r] += local.Shares[r].SelfCoefficient;
            }
            ready[folded] = null;
            local.Parked = false;
            Volatile.Write(ref folded, folded + 1);
        }
    }

    // After a failed run: no slice is left parked or waiting to be folded.
    private void Reset()
    {
        Array.Clear(ready);
        foreach (var pair in scratch.Values)
            pair.Release();
        failed = false;
    }

    public void Dispose() => scratch.Dispose();

    // A core's two scratches: one can wait, parked, for the slices ahead of it to be folded while the core fills the other.
    private sealed class ScratchPair(int maxRows, int dimension, bool generates)
    {
        private readonly Scratch first = new(maxRows, dimension, generates), second = new(maxRows, dimension, generates);

        // A scratch not parked, waiting for the fold to free one; null once another slice has failed.
        public Scratch? Free(SkinnySlices owner)
        {
            var wait = new SpinWait();
            while (true)
            {
                if (!first.Parked)
                    return first;
                if (!second.Parked)
                    return second;
                if (owner.failed)
                    return null;
                wait.SpinOnce(sleep1Threshold: -1);
            }
        }

        public void Release() => first.Parked = second.Parked = false;
    }

    // One slice's buffers, pinned for their life: the chains (8 rows of D, each row on a cache line where D is a multiple of
    // 16), the slice's projections, φ and u (rows × SliceDepth), and for Ω made on demand one round's rows (the last round
    // of a slice takes up to 2·RoundRows − 1): 1.5 MB at D = 12,288, so on-demand memory stays small on many cores.
    private sealed class Scratch
    {
        public readonly float* Sums, Projections, First, Second, U, Omega;
        public readonly (double Inner, double SelfCoefficient)[] Shares;
        public volatile bool Parked;
        private readonly AlignedBlock<float> memory;

        public Scratch(int maxRows, int dimension, bool generates)
        {
            var slice = maxRows * Sgemm.SliceDepth;
            var sums = Sgemm.SkinnyRows * dimension;
            var omega = generates ? (2 * RoundRows - 1) * dimension : 0;
            memory = new AlignedBlock<float>(sums + 4 * slice + omega);
            Sums = (float*)Unsafe.AsPointer(ref memory.Span[0]); // on a cache line (AlignedBlock), pinned
            Projections = Sums + sums;
            First = Projections + slice;
            Second = First + slice;
            U = Second + slice;
            Omega = U + slice;
            Shares = new (double, double)[maxRows];
        }
    }
}
