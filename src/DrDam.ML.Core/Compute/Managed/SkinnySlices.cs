using DrDam.ML.Memory;
using DrDam.ML.Memory.Features;
using DrDam.ML.Memory.Parallelism;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// The skinny DrDAM step over one block of Ω (docs/ROOFLINE.md, "One pass over Ω per skinny step"): the block's slices of
/// <see cref="Sgemm.SliceDepth"/> rows are spread over the cores, and each core takes its slice
/// <see cref="RoundRows"/> rows at a time — the forward product S = ZΩᵀ, the basis's derivatives φ and u, and the
/// backward product's chains G_s += UΩ — so those rows of Ω come from memory once and are read again from the core's
/// L2. The slices' chains and shares of ⟨φ, T⟩ and c are then added in slice order (an ordered fold), which gives the
/// bits of the block-wide products and of the basis over whole slices, whatever the number of cores.
/// </summary>
internal sealed unsafe class SkinnySlices : IParallelWork, IDisposable
{
    /// <summary>Rows of Ω per round: 16 rows of D floats (768 KB at D = 12,288) stay in a 1 MB L2 between the two products.</summary>
    public const int RoundRows = 16;

    private readonly FeatureSpace features;
    private readonly float[] memoryFirst, memorySecond;
    private readonly Buffers buffers;
    private readonly ThreadLocal<Scratch> scratch;
    private int block, rows, stride;
    private byte* omega;
    private bool rounded, generate;
    private int folded;
    private volatile bool failed;

    /// <summary>The evaluator's arrays a step reads (Zᵀ, ‖z‖²) and folds into (G, ⟨φ, T⟩, c); Zᵀ and G are pinned.</summary>
    public sealed record Buffers(float[] TransposedZ, float[] SquaredNorms, float[] Accumulated, double[] Inner, double[] SelfCoefficients);

    public SkinnySlices(FeatureSpace features, float[] memoryFirst, float[] memorySecond, Buffers buffers, int maxRows)
    {
        this.features = features;
        this.memoryFirst = memoryFirst;
        this.memorySecond = memorySecond;
        this.buffers = buffers;
        scratch = new ThreadLocal<Scratch>(() => new Scratch(maxRows, features.Dimension));
    }

    /// <summary>
    /// Runs the step over block <paramref name="block"/> for the first <paramref name="rows"/> rows of Zᵀ, its rows of Ω
    /// at <paramref name="omega"/>, <paramref name="stride"/> values apart (pinned by the caller: fp32, or bfloat16 when
    /// <paramref name="rounded"/>; written from the seed round by round first when <paramref name="generate"/>, then
    /// D apart). Returns when its chains and shares are
    /// folded into G (which block 0's first slice writes and every later one adds to) and into ⟨φ, T⟩ and c.
    /// </summary>
    public void Run(int block, int rows, byte* omega, int stride, bool rounded, bool generate)
    {
        (this.block, this.rows, this.stride, this.rounded, this.generate) = (block, rows, stride, rounded, generate);
        this.omega = omega;
        (folded, failed) = (0, false);
        var blockRows = features.BlockRange(block).Rows;
        WorkerPool.For((blockRows + Sgemm.SliceDepth - 1) / Sgemm.SliceDepth, this);
    }

    public void Execute(int slice)
    {
        try
        {
            ExecuteSlice(slice);
        }
        catch
        {
            failed = true; // a core waiting for this slice's fold must not wait forever
            throw;
        }
    }

    private void ExecuteSlice(int slice)
    {
        var (d, m) = (features.Dimension, rows);
        var (blockStart, blockRows) = features.BlockRange(block);
        var offset = slice * Sgemm.SliceDepth;
        var n = Math.Min(Sgemm.SliceDepth, blockRows - offset);
        var start = blockStart + offset;
        var size = rounded ? sizeof(ushort) : sizeof(float);
        var sliceRows = omega + (long)offset * stride * size;
        var local = scratch.Value!;
        var lanes = (m + 3) / 4 * 4; // ContinueChains writes whole halves of the 8-row panel
        new Span<float>(local.Sums, lanes * d).Clear();
        var offsets = features.Offsets(block);
        var basis = features.Basis;
        for (var r0 = 0; r0 < n;)
        {
            // The last round takes what is left (16–31 rows), so every round hands the basis whole 512-bit vectors.
            var length = n - r0 < 2 * RoundRows ? n - r0 : RoundRows;
            var round = sliceRows + (long)r0 * stride * size;
            if (generate) // a round's rows, generated into L2 just before both products read them
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
        Fold(slice, local);
    }

    // Slice by slice in order: G (+)= the slice's chains, and its shares of ⟨φ, T⟩ and c.
    private void Fold(int slice, Scratch local)
    {
        var wait = new SpinWait();
        while (Volatile.Read(ref folded) != slice)
        {
            if (failed)
                return; // the pool rethrows the failing slice's exception
            wait.SpinOnce(sleep1Threshold: -1);
        }
        var d = features.Dimension;
        fixed (float* accumulated = buffers.Accumulated)
            Sgemm.AddChains(local.Sums, d, accumulated, d, rows, d, block > 0 || slice > 0);
        for (var r = 0; r < rows; r++)
        {
            buffers.Inner[r] += local.Shares[r].Inner;
            buffers.SelfCoefficients[r] += local.Shares[r].SelfCoefficient;
        }
        Volatile.Write(ref folded, slice + 1);
    }

    public void Dispose() => scratch.Dispose();

    // One core's buffers, pinned for their life: the chains (8 rows of D, each row on a cache line where D is a multiple of
    // 16) and one slice's projections, φ and u (rows × SliceDepth).
    private sealed class Scratch
    {
        public readonly float* Sums, Projections, First, Second, U;
        public readonly (double Inner, double SelfCoefficient)[] Shares;
        private readonly AlignedBlock<float> memory;

        public Scratch(int maxRows, int dimension)
        {
            var slice = maxRows * Sgemm.SliceDepth;
            var sums = Sgemm.SkinnyRows * dimension;
            memory = new AlignedBlock<float>(sums + 4 * slice);
            Sums = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref memory.Span[0]); // on a cache line (AlignedBlock)
            Projections = Sums + sums;
            First = Projections + slice;
            Second = First + slice;
            U = Second + slice;
            Shares = new (double, double)[maxRows];
        }
    }
}
