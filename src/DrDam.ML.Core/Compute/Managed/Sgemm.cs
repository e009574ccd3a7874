using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DrDam.ML.Memory.Parallelism;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// Single-precision matrix product C (+)= A·op(B), all row-major: A is m×k; op(B) is B (k×n) or Bᵀ
/// (B stored n×k). A is packed once per pass (up to 4 MB of its rows) into MR-row panels with 8×8
/// AVX transposes; the columns of C are split into blocks, one per work item, and each item runs an
/// 8×32 register tile of 512-bit fused multiply-adds over every row panel, one KC slice of k at a time. Bᵀ is packed
/// per slice into NR-column panels; B is read in place (its rows hold NR contiguous columns) unless many row panels
/// re-read it, when it is packed too (see PackedReuse). With at most 8 rows of A, B is streamed once in place, and may
/// be held in bfloat16 (<see cref="MultiplyRounded"/>). Without 512-bit vectors the tile runs in 256-bit quarters, and
/// without AVX2 (or on Arm) in 128-bit eighths.
/// Each C element sums k in the same order whatever the thread count, the number of rows or the vector width, so
/// results are bit-identical across all three (docs/ROOFLINE.md), except on an x86 processor without FMA (see Unfused).
/// </summary>
internal static unsafe class Sgemm
{
    private const int MR = 8, NR = 32, KC = 256, NC = 256;

    /// <summary>The slices k is summed in (each a chain of fused multiply-adds from zero, the slices added to C in order): a product over k = SliceDepth rows at a time, accumulated, gives the same bits as one product over all of k.</summary>
    public const int SliceDepth = KC;

    // Row panels from which a panel of B (for A·B) is copied rather than read in place: measured at D = 3072, copying
    // took MrDAM's step (32 panels) from 274 to 307 GFLOP/s and DrDAM's at B = 64 (8 panels) from 213 to 167.
    private const int PackedReuse = 16;

    // The packed copy of A (per calling thread) holds at most this many floats (4 MB).
    private const int PackedALimit = 1 << 20;

    // Columns of C per work item of a skinny A·Bᵀ (8 rows of B per group).
    private const int SkinnyColumnsNT = 64;

    /// <summary>
    /// Products with at most this many rows of A stream B once instead of packing it: packing B would cost as much as
    /// the product (the shape of a descent step on a handful of queries).
    /// </summary>
    public const int SkinnyRows = 8;

    [ThreadStatic] private static float[]? packedB;

    // Packed operands start on a 64-byte cache line, so no 512-bit load of a panel straddles two lines (as BLAS packs).
    // On an Intel Xeon (family 6 model 207), the medians of six interleaved runs of the MrDAM step's two products were
    // 11% and 5% faster; whole `bench` runs there vary by more than that.
    private const int AlignmentSlack = 16;

    private static float* CacheLineAligned(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>
    /// A pinned buffer with room for <paramref name="values"/> floats from its first cache line: <paramref name="buffer"/>
    /// when it has that room, else a new one. The room counts the slack: a buffer that merely held
    /// <paramref name="values"/> floats let a packed operand that starts up to 15 floats in run past its end, into the
    /// next object of the pinned heap (which the garbage collector then crashed on, now and then, in the test runs).
    /// </summary>
    internal static float[] WithAlignedRoom(float[]? buffer, int values)
        => buffer is not null && buffer.Length >= values + AlignmentSlack ? buffer : GC.AllocateUninitializedArray<float>(values + AlignmentSlack, pinned: true);

    /// <summary>C[m×n] = A·op(B), or C += A·op(B) when <paramref name="accumulate"/>.</summary>
    public static void Multiply(float* a, int lda, float* b, int ldb, bool transposeB, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                for (var i = 0; i < m; i++)
                    new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        if (m <= SkinnyRows)
        {
            MultiplySkinny(a, lda, (byte*)b, rounded: false, ldb, transposeB, c, ldc, m, n, k, accumulate);
            return;
        }
        var job = callerJob ??= new Job();
        job.A = a;
        job.B = b;
        job.C = c;
        (job.Lda, job.Ldb, job.TransposeB, job.Ldc) = (lda, ldb, transposeB, ldc);
        (job.M, job.N, job.K, job.Accumulate) = (m, n, k, accumulate);
        job.Run();
    }

    /// <summary>
    /// <see cref="Multiply"/> for at most <see cref="SkinnyRows"/> rows of A, with B held in bfloat16 (ldb in values) and
    /// widened as the kernels load it: the same bits as widening B first and multiplying, without the widened copy.
    /// B's last value must be followed by one more readable value (a bfloat16 broadcast reads 32 bits).
    /// </summary>
    public static void MultiplyRounded(float* a, int lda, ushort* b, int ldb, bool transposeB, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m > SkinnyRows)
            throw new ArgumentOutOfRangeException(nameof(m), $"a product over bfloat16 B takes at most {SkinnyRows} rows of A, not {m}.");
        if (m == 0 || n == 0 || k == 0)
        {
            Multiply(a, lda, null, ldb, transposeB, c, ldc, m, n, k, accumulate);
            return;
        }
        MultiplySkinny(a, lda, (byte*)b, rounded: true, ldb, transposeB, c, ldc, m, n, k, accumulate);
    }

    /// <summary>
    /// Aᵀ of at most <see cref="SkinnyRows"/> rows of A (m×k) as <see cref="MultiplyTransposedRows"/> reads it: 8 lanes
    /// per p, the rows past m zero. <paramref name="at"/> holds SkinnyRows·k floats.
    /// </summary>
    public static void TransposeSkinny(float* a, int lda, int m, int k, float* at) => TransposeRows(a, lda, m, k, at);

    /// <summary>
    /// C (m×n) = A·Bᵀ on the calling thread, for at most <see cref="SkinnyRows"/> rows of A given as
    /// <see cref="TransposeSkinny"/>'s Aᵀ, and B's n rows of k values (fp32, or bfloat16 with one value of padding after
    /// the last when <paramref name="rounded"/>) read in place: the bits of <see cref="Multiply"/> (or
    /// <see cref="MultiplyRounded"/>) with transposeB, since each C element is the chain of its own row of A and row of B.
    /// So a caller may take B a few rows at a time.
    /// </summary>
    public static void MultiplyTransposedRows(float* at, int m, int k, byte* b, bool rounded, int ldb, float* c, int ldc, int n)
    {
        var job = callerSkinnyJob ??= new SkinnyJob();
        job.A = null;
        job.B = b;
        job.Rounded = rounded;
        job.C = c;
        job.TransposedA = at;
        (job.Lda, job.Ldb, job.Ldc, job.M, job.N, job.K, job.TransposeB, job.Accumulate) = (0, ldb, ldc, m, n, k, true, false);
        job.Columns = n;
        job.Execute(0);
    }

    /// <summary>
    /// Continues the chains of a skinny A·B on the calling thread: sums[i][j] = fma(A[i][p], B[p][j], sums[i][j]) for
    /// p in [0, k) in order, i &lt; m ≤ <see cref="SkinnyRows"/>, j &lt; n, B (k ≤ <see cref="SliceDepth"/> rows; fp32, or
    /// bfloat16 when <paramref name="rounded"/>) read in place. Zeroed, fed one slice of B's rows a few rows at a time and
    /// then added to C by <see cref="AddChains"/>, the chains give <see cref="Multiply"/>'s bits over that slice (each C
    /// element one chain of fused multiply-adds from zero over the slice, in p order): a caller can run a slice's
    /// backward product on rows of B that its forward product has just brought into cache. <paramref name="sums"/> has
    /// 8 rows, <paramref name="lds"/> apart (the rows past m are written too).
    /// </summary>
    [SkipLocalsInit]
    public static void ContinueChains(float* a, int lda, byte* b, bool rounded, int ldb, float* sums, int lds, int m, int n, int k)
    {
        if (k > KC)
            throw new ArgumentOutOfRangeException(nameof(k), $"chains are continued at most {KC} rows of B at a time, not {k}.");
        var panel = stackalloc float[MR * KC];
        PackA(a, lda, m, k, panel);
        var size = rounded ? sizeof(ushort) : sizeof(float);
        for (var i = 0; i < m; i += HalfRows)
            for (var jr = 0; jr < n; jr += StreamColumns)
            {
                var width = Math.Min(StreamColumns, n - jr);
                var rows = b + (long)jr * size;
                var target = sums + (long)i * lds + jr;
                if (rounded)
                    Chains<RoundedValues>(k, panel + i, rows, ldb, width, target, lds);
                else
                    Chains<SingleValues>(k, panel + i, rows, ldb, width, target, lds);
            }
    }

    /// <summary>C (m×n) = the chains, or C += them when <paramref name="accumulate"/>: how a product adds a finished slice.</summary>
    public static void AddChains(float* sums, int lds, float* c, int ldc, int m, int n, bool accumulate)
    {
        for (var i = 0; i < m; i++)
        {
            var sum = new ReadOnlySpan<float>(sums + (long)i * lds, n);
            var target = new Span<float>(c + (long)i * ldc, n);
            if (accumulate)
                TensorPrimitives.Add(sum, target, target);
            else
                sum.CopyTo(target);
        }
    }

    [ThreadStatic] private static Job? callerJob;
    [ThreadStatic] private static SkinnyJob? callerSkinnyJob;

    private static void MultiplySkinny(float* a, int lda, byte* b, bool rounded, int ldb, bool transposeB, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        var job = callerSkinnyJob ??= new SkinnyJob();
        job.A = a;
        job.B = b;
        job.Rounded = rounded;
        job.C = c;
        (job.Lda, job.Ldb, job.Ldc, job.M, job.N, job.K, job.TransposeB, job.Accumulate) = (lda, ldb, ldc, m, n, k, transposeB, accumulate);
        // NN: one block of whole register tiles per core (the kernel streams B's rows in place); NT: narrow groups.
        job.Columns = transposeB ? SkinnyColumnsNT : Math.Max(NR, (n + WorkerPool.Parallelism * NR - 1) / (WorkerPool.Parallelism * NR) * NR);
        if (!transposeB)
        {
            WorkerPool.For((n + job.Columns - 1) / job.Columns, job);
            return;
        }
        // Aᵀ with 8 lanes per p, the rows past m zero: the lanes of the NT kernel.
        transposedA = WithAlignedRoom(transposedA, SkinnyRows * k);
        fixed (float* unaligned = transposedA)
        {
            var at = CacheLineAligned(unaligned);
            TransposeRows(a, lda, m, k, at);
            job.TransposedA = at;
            WorkerPool.For((n + job.Columns - 1) / job.Columns, job);
        }
    }

    [ThreadStatic] private static float[]? transposedA;

    // at[p·8 + i] = a[i][p] for the m ≤ 8 rows, 0 past them: 8×8 transposes of a zero-padded tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void TransposeRows(float* a, int lda, int m, int k, float* at)
    {
        var p = 0;
        if (Avx.IsSupported)
        {
            var tile = stackalloc float[SkinnyRows * 8];
            new Span<float>(tile, SkinnyRows * 8).Clear();
            for (; p + 8 <= k; p += 8)
            {
                for (var i = 0; i < m; i++)
                    Avx.Store(tile + i * 8, Avx.LoadVector256(a + (long)i * lda + p));
                Transpose8x8(tile, 8, at + (long)p * SkinnyRows, SkinnyRows);
            }
        }
        for (; p < k; p++)
            for (var i = 0; i < SkinnyRows; i++)
                at[(long)p * SkinnyRows + i] = i < m ? a[(long)i * lda + p] : 0;
    }

    // Columns [j0, j1) of C, streaming B once, with the arithmetic of the packed kernel element for
    // element: each C element sums k in slices of KC, each slice a chain of fused multiply-adds in p order
    // from zero, and the slices are added to C in order. So a row of C is bit-identical whether it was
    // computed with 7 other rows here or with 200 in the packed path (a row's retrieval result does not
    // depend on its batch). NT puts the rows of A in the lanes and broadcasts B's rows in place (or, with 512-bit
    // vectors, takes 16 rows of B as the lanes: KernelWide); NN runs the packed register kernels over B's rows in
    // place, or, for at most HalfRows rows at a time, streams them (KernelRowStream).
    private sealed class SkinnyJob : IParallelWork
    {
        public float* A, C, TransposedA;
        public byte* B;
        public int Lda, Ldb, Ldc, M, N, K, Columns;
        public bool TransposeB, Accumulate, Rounded;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int chunk)
        {
            var j0 = chunk * Columns;
            var width = Math.Min(Columns, N - j0);
            if (TransposeB && Rounded)
                ExecuteTransposed<RoundedValues>(j0, width);
            else if (TransposeB)
                ExecuteTransposed<SingleValues>(j0, width);
            else
                ExecuteInPlace(j0, width);
        }

        // B's rows hold the columns contiguously: the packed kernel reads them in place (a ragged last panel is packed),
        // with the few rows of A packed into one zero-padded MR panel per slice.
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ExecuteInPlace(int j0, int width)
        {
            var panel = stackalloc float[MR * KC];
            var ragged = stackalloc float[NR * KC];
            var unalignedSums = stackalloc float[HalfRows * StreamColumns + AlignmentSlack];
            var sums = CacheLineAligned(unalignedSums);
            for (var pc = 0; pc < K; pc += KC)
            {
                var kc = Math.Min(KC, K - pc);
                var add = Accumulate || pc > 0;
                PackA(A + pc, Lda, M, kc, panel);
                // Half the 8-row tile would be padding, or (without 512-bit vectors) its quarters would re-read B at a
                // stride, or B is bfloat16: B's rows are streamed instead, once per half of the rows.
                if (M <= HalfRows || !Vector512.IsHardwareAccelerated || Rounded)
                {
                    for (var i = 0; i < M; i += HalfRows)
                        for (var jr = 0; jr < width; jr += StreamColumns)
                        {
                            var (columns, rows) = (Math.Min(StreamColumns, width - jr), Math.Min(HalfRows, M - i));
                            var at = (long)pc * Ldb + j0 + jr;
                            if (Rounded)
                                KernelRowStream<RoundedValues>(kc, panel + i, B + at * sizeof(ushort), Ldb, columns, sums, C + (long)i * Ldc + j0 + jr, Ldc, rows, add);
                            else
                                KernelRowStream<SingleValues>(kc, panel + i, B + at * sizeof(float), Ldb, columns, sums, C + (long)i * Ldc + j0 + jr, Ldc, rows, add);
                        }
                    continue;
                }
                var b = (float*)B;
                for (var jr = 0; jr < width; jr += NR)
                {
                    var nr = Math.Min(NR, width - jr);
                    if (nr == NR)
                        Kernel(kc, panel, b + (long)pc * Ldb + j0 + jr, Ldb, C + j0 + jr, Ldc, M, NR, add);
                    else
                    {
                        PackB(b, Ldb, false, pc, j0 + jr, kc, nr, ragged);
                        Kernel(kc, panel, ragged, NR, C + j0 + jr, Ldc, M, nr, add);
                    }
                }
            }
        }

        // The lanes are 16 rows of B (columns of C), in groups of 16 rows: see KernelWide.
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ExecuteTransposedWide<TValues>(int j0, int width) where TValues : struct, IValues
        {
            var rows = stackalloc nint[WideRows];
            var unaligned = stackalloc float[WideRows * WideRows + AlignmentSlack];
            var tile = CacheLineAligned(unaligned);
            for (var j = j0; j < j0 + width; j += WideRows)
            {
                var count = Math.Min(WideRows, j0 + width - j);
                // A ragged group repeats its last row of B; only the first `count` columns are stored.
                for (var r = 0; r < WideRows; r++)
                    rows[r] = (nint)Row(B + (long)j * Ldb * TValues.Size, r, count, TValues.Size);
                for (var pc = 0; pc < K; pc += KC)
                    KernelWide<TValues>(Math.Min(KC, K - pc), TransposedA + (long)pc * SkinnyRows, rows, pc, tile, C + j, Ldc, M, count, Accumulate || pc > 0);
            }
        }

        // Lanes are the rows of A (Aᵀ packed once per product, 8 lanes, zero-padded), so op(B)'s columns, the rows of B,
        // are read in place: each step of p broadcasts one value from each of 8 rows of B into its own chain. Nothing is
        // transposed, and each C element is still one chain of fused multiply-adds over a slice, in p order. With 512-bit
        // vectors, bfloat16 B and at most HalfRows rows of A take the 16-row lanes of KernelWide instead: on the Zen 5
        // host they pulled B out of memory 30% (bfloat16) and 8–10% (fp32) faster, and 8 rows of fp32 A were slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ExecuteTransposed<TValues>(int j0, int width) where TValues : struct, IValues
        {
            if ((typeof(TValues) == typeof(RoundedValues) || M <= HalfRows) && Vector512.IsHardwareAccelerated)
            {
                ExecuteTransposedWide<TValues>(j0, width);
                return;
            }
            if (!Vector256.IsHardwareAccelerated)
            {
                if (Unfused)
                    ExecuteTransposed128<TValues, Unfused128>(j0, width);
                else
                    ExecuteTransposed128<TValues, Fused128>(j0, width);
                return;
            }
            var lanes = stackalloc float[SkinnyRows];
            var size = TValues.Size;
            for (var j = j0; j < j0 + width; j += SkinnyRows)
            {
                var count = Math.Min(SkinnyRows, j0 + width - j);
                var b0 = B + (long)j * Ldb * size;
                // A ragged group repeats its last row of B; only the first `count` chains are stored.
                byte* b1 = Row(b0, 1, count, size), b2 = Row(b0, 2, count, size), b3 = Row(b0, 3, count, size), b4 = Row(b0, 4, count, size),
                    b5 = Row(b0, 5, count, size), b6 = Row(b0, 6, count, size), b7 = Row(b0, 7, count, size);
                for (var pc = 0; pc < K; pc += KC)
                {
                    var kc = Math.Min(KC, K - pc);
                    Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                    var a = TransposedA + (long)pc * SkinnyRows;
                    for (var p = pc; p < pc + kc; p++)
                    {
                        var at = (long)p * size;
                        if ((at & 63) == 0 && Sse.IsSupported) // one cache line of each row, 1 KB ahead
                        {
                            Sse.Prefetch0(b0 + at + 1024); Sse.Prefetch0(b1 + at + 1024); Sse.Prefetch0(b2 + at + 1024); Sse.Prefetch0(b3 + at + 1024);
                            Sse.Prefetch0(b4 + at + 1024); Sse.Prefetch0(b5 + at + 1024); Sse.Prefetch0(b6 + at + 1024); Sse.Prefetch0(b7 + at + 1024);
                        }
                        var x = Vector256.Load(a);
                        c0 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b0 + at), c0);
                        c1 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b1 + at), c1);
                        c2 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b2 + at), c2);
                        c3 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b3 + at), c3);
                        c4 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b4 + at), c4);
                        c5 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b5 + at), c5);
                        c6 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b6 + at), c6);
                        c7 = Vector256.FusedMultiplyAdd(x, TValues.Broadcast256(b7 + at), c7);
                        a += SkinnyRows;
                    }
                    var add = Accumulate || pc > 0;
                    Store(c0, 0); Store(c1, 1); Store(c2, 2); Store(c3, 3); Store(c4, 4); Store(c5, 5); Store(c6, 6); Store(c7, 7);

                    void Store(Vector256<float> chains, int column)
                    {
                        if (column >= count)
                            return;
                        chains.Store(lanes);
                        for (var i = 0; i < M; i++)
                        {
                            var target = C + (long)i * Ldc + j + column;
                            *target = add ? *target + lanes[i] : lanes[i];
                        }
                    }
                }
            }
        }

        // ExecuteTransposed in 128-bit vectors (no AVX2, or Arm's AdvSimd): the 8 lanes of Aᵀ as two halves, four rows of B
        // at a time (8 accumulators, of SSE's 16 registers). The same chains, in the same order.
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ExecuteTransposed128<TValues, TProducts>(int j0, int width) where TValues : struct, IValues where TProducts : struct, IMultiplyAdd
        {
            var lanes = stackalloc float[SkinnyRows];
            var size = TValues.Size;
            const int group = SkinnyRows / 2;
            for (var j = j0; j < j0 + width; j += group)
            {
                var count = Math.Min(group, j0 + width - j);
                var b0 = B + (long)j * Ldb * size;
                byte* b1 = Row(b0, 1, count, size), b2 = Row(b0, 2, count, size), b3 = Row(b0, 3, count, size);
                for (var pc = 0; pc < K; pc += KC)
                {
                    var kc = Math.Min(KC, K - pc);
                    Vector128<float> c0 = default, d0 = default, c1 = default, d1 = default, c2 = default, d2 = default, c3 = default, d3 = default;
                    var a = TransposedA + (long)pc * SkinnyRows;
                    for (var p = pc; p < pc + kc; p++)
                    {
                        var at = (long)p * size;
                        var low = Vector128.Load(a);
                        var high = Vector128.Load(a + 4);
                        var w = TValues.Broadcast128(b0 + at);
                        c0 = TProducts.MultiplyAdd(low, w, c0); d0 = TProducts.MultiplyAdd(high, w, d0);
                        w = TValues.Broadcast128(b1 + at);
                        c1 = TProducts.MultiplyAdd(low, w, c1); d1 = TProducts.MultiplyAdd(high, w, d1);
                        w = TValues.Broadcast128(b2 + at);
                        c2 = TProducts.MultiplyAdd(low, w, c2); d2 = TProducts.MultiplyAdd(high, w, d2);
                        w = TValues.Broadcast128(b3 + at);
                        c3 = TProducts.MultiplyAdd(low, w, c3); d3 = TProducts.MultiplyAdd(high, w, d3);
                        a += SkinnyRows;
                    }
                    var add = Accumulate || pc > 0;
                    Store(c0, d0, 0); Store(c1, d1, 1); Store(c2, d2, 2); Store(c3, d3, 3);

                    void Store(Vector128<float> low, Vector128<float> high, int column)
                    {
                        if (column >= count)
                            return;
                        low.Store(lanes);
                        high.Store(lanes + 4);
                        for (var i = 0; i < M; i++)
                        {
                            var target = C + (long)i * Ldc + j + column;
                            *target = add ? *target + lanes[i] : lanes[i];
                        }
                    }
                }
            }
        }

        private byte* Row(byte* first, int index, int count, int size) => first + (long)Math.Min(index, count - 1) * Ldb * size;
    }

    // One product's arguments and its packed A; reused by its calling thread, so a product allocates
    // nothing once the buffer has grown (to at most PackedALimit). Per pass over a block of rows, two
    // parallel loops: pack A by row panel, then multiply by column block (at most NC wide, narrower
    // when that would leave cores idle).
    private sealed class Job : IParallelWork
    {
        public float* A, B, C;
        public int Lda, Ldb, Ldc, M, N, K;
        public bool TransposeB, Accumulate;
        private int columns, rowPanels;
        private float[] packedA = [];
        private Phase phase;

        private enum Phase { PackA, Multiply }

        // Rows of A taken per pass: the packed copy stays under PackedALimit floats whatever m is.
        public void Run()
        {
            var rowsPerPass = Math.Max(MR, PackedALimit / K / MR * MR);
            var a = A;
            var c = C;
            var m = M;
            for (var row = 0; row < m; row += rowsPerPass)
            {
                A = a + (long)row * Lda;
                C = c + (long)row * Ldc;
                M = Math.Min(rowsPerPass, m - row);
                RunPass();
            }
        }

        private void RunPass()
        {
            rowPanels = (M + MR - 1) / MR;
            var size = rowPanels * MR * K;
            packedA = WithAlignedRoom(packedA, size);
            phase = Phase.PackA;
            WorkerPool.For(rowPanels, this);
            // at least two blocks per core, each a multiple of NR wide
            var perBlock = (N + 2 * WorkerPool.Parallelism - 1) / (2 * WorkerPool.Parallelism);
            columns = Math.Clamp((perBlock + NR - 1) / NR * NR, NR, NC);
            phase = Phase.Multiply;
            WorkerPool.For((N + columns - 1) / columns, this);
        }

        // Hot from the first product: tier-0 code for the packing transposes is an order of magnitude slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int item)
        {
            fixed (float* unalignedA = packedA)
            {
                var pa = CacheLineAligned(unalignedA);
                if (phase == Phase.PackA)
                {
                    // slice pc of the panel at row ir lies at pa + pc·rowPanels·MR + ir·kc
                    var ir = item * MR;
                    for (var pc = 0; pc < K; pc += KC)
                    {
                        var kc = Math.Min(KC, K - pc);
                        PackA(A + (long)ir * Lda + pc, Lda, Math.Min(MR, M - ir), kc, pa + (long)pc * rowPanels * MR + (long)ir * kc);
                    }
                    return;
                }
                var jc = item * columns;
                var nc = Math.Min(columns, N - jc);
                var bp = packedB = WithAlignedRoom(packedB, NC * KC);
                fixed (float* unalignedB = bp)
                {
                    var pb = CacheLineAligned(unalignedB);
                    for (var pc = 0; pc < K; pc += KC)
                    {
                        var kc = Math.Min(KC, K - pc);
                        if (TransposeB)
                            PackB(B, Ldb, true, pc, jc, kc, nc, pb);
                        var slice = pa + (long)pc * rowPanels * MR;
                        var add = Accumulate || pc > 0;
                        for (var jr = 0; jr < nc; jr += NR)
                        {
                            var nr = Math.Min(NR, nc - jr);
                            // A·B reads B in place unless many row panels re-read the panel: in place its rows lie Ldb
                            // apart, which at strides of a multiple of 4 KB all fall in one L1 set, and a copy pays off.
                            var panel = pb + jr * kc;
                            var stride = NR;
                            if (!TransposeB && nr == NR && rowPanels < PackedReuse && Vector512.IsHardwareAccelerated)
                            {
                                panel = B + (long)pc * Ldb + jc + jr;
                                stride = Ldb;
                            }
                            else if (!TransposeB)
                                PackB(B, Ldb, false, pc, jc + jr, kc, nr, panel);
                            for (var ir = 0; ir < M; ir += MR)
                                Kernel(kc, slice + (long)ir * kc, panel, stride, C + (long)ir * Ldc + jc + jr, Ldc, Math.Min(MR, M - ir), nr, add);
                        }
                    }
                }
            }
        }
    }

    private const int WideRows = 16;

    // C[i][j..j+count) (+)= the chains of rows i < mr of A (a: Aᵀ packed 8 lanes per p, from p0) with 16 rows of B over
    // one slice of kc. Each block of 16 p of the 16 rows is widened and transposed (in registers, through a 1 KB tile),
    // then each of its columns takes one fused multiply-add per row of A, a broadcast of A[i][p]. Every fused
    // multiply-add reads 16 values of B, where the lane-per-row kernel reads one; each C element is still one chain over
    // the slice in p order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void KernelWide<TValues>(int kc, float* a, nint* rows, int p0, float* tile, float* c, int ldc, int mr, int count, bool add)
        where TValues : struct, IValues
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        var all = mr > HalfRows;
        for (var p = p0; p < p0 + kc; p += WideRows)
        {
            var depth = Math.Min(WideRows, p0 + kc - p);
            if (depth == WideRows)
                Transpose16x16<TValues>(rows, p, tile, WideRows);
            else
                for (var q = 0; q < depth; q++)
                    for (var r = 0; r < WideRows; r++)
                        tile[q * WideRows + r] = TValues.Read((byte*)rows[r] + (long)(p + q) * TValues.Size);
            for (var q = 0; q < depth; q++, a += SkinnyRows)
            {
                var w = Vector512.Load(tile + q * WideRows);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), w, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), w, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), w, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), w, c3);
                if (all)
                {
                    c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), w, c4);
                    c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), w, c5);
                    c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), w, c6);
                    c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), w, c7);
                }
            }
        }
        c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32); c3.Store(tile + 48);
        c4.Store(tile + 64); c5.Store(tile + 80); c6.Store(tile + 96); c7.Store(tile + 112);
        for (var i = 0; i < mr; i++)
        {
            var row = c + (long)i * ldc;
            for (var j = 0; j < count; j++)
                row[j] = add ? row[j] + tile[i * WideRows + j] : tile[i * WideRows + j];
        }
    }

    // tile[q·stride + r] = rows[r][p + q] for a 16×16 block, in registers: 32-bit and 64-bit interleaves within 128-bit
    // lanes, then two rounds of 128-bit lane shuffles. KernelWide transposes into its 16-wide tile; PackB writes two
    // blocks side by side into a 32-wide panel of Bᵀ (64 shuffles per 256 values, where the 8×8 AVX transposes take 96).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16<TValues>(nint* rows, int p, float* tile, int stride) where TValues : struct, IValues
    {
        var at = (long)p * TValues.Size;
        // u_k (k < 4) holds rows 0–3 at p + 4L + k in its 128-bit lane L; u_{4+k} rows 4–7, and so on.
        var (u0, u1, u2, u3) = Interleave4(TValues.Load512((byte*)rows[0] + at), TValues.Load512((byte*)rows[1] + at),
            TValues.Load512((byte*)rows[2] + at), TValues.Load512((byte*)rows[3] + at));
        var (u4, u5, u6, u7) = Interleave4(TValues.Load512((byte*)rows[4] + at), TValues.Load512((byte*)rows[5] + at),
            TValues.Load512((byte*)rows[6] + at), TValues.Load512((byte*)rows[7] + at));
        var (u8, u9, u10, u11) = Interleave4(TValues.Load512((byte*)rows[8] + at), TValues.Load512((byte*)rows[9] + at),
            TValues.Load512((byte*)rows[10] + at), TValues.Load512((byte*)rows[11] + at));
        var (u12, u13, u14, u15) = Interleave4(TValues.Load512((byte*)rows[12] + at), TValues.Load512((byte*)rows[13] + at),
            TValues.Load512((byte*)rows[14] + at), TValues.Load512((byte*)rows[15] + at));
        Columns(u0, u4, u8, u12, tile, stride, 0);
        Columns(u1, u5, u9, u13, tile, stride, 1);
        Columns(u2, u6, u10, u14, tile, stride, 2);
        Columns(u3, u7, u11, u15, tile, stride, 3);
    }

    // Four rows → four vectors, vector k holding the 4 rows' values at p + 4L + k in its 128-bit lane L.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Interleave4(Vector512<float> r0, Vector512<float> r1, Vector512<float> r2, Vector512<float> r3)
    {
        var t0 = Avx512F.UnpackLow(r0, r1).AsDouble(); var t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
        var t2 = Avx512F.UnpackLow(r2, r3).AsDouble(); var t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
        return (Avx512F.UnpackLow(t0, t2).AsSingle(), Avx512F.UnpackHigh(t0, t2).AsSingle(), Avx512F.UnpackLow(t1, t3).AsSingle(), Avx512F.UnpackHigh(t1, t3).AsSingle());
    }

    // From the four row groups' vectors for offset k, the columns at p + k, p + 4 + k, p + 8 + k and p + 12 + k into the tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3, float* tile, int stride, int k)
    {
        // lanes 0 and 2 of each group (p + k, p + 8 + k), then lanes 1 and 3 (p + 4 + k, p + 12 + k)
        var even01 = Avx512F.Shuffle4x128(g0, g1, 0x88); var odd01 = Avx512F.Shuffle4x128(g0, g1, 0xDD);
        var even23 = Avx512F.Shuffle4x128(g2, g3, 0x88); var odd23 = Avx512F.Shuffle4x128(g2, g3, 0xDD);
        Avx512F.Shuffle4x128(even01, even23, 0x88).Store(tile + k * stride);
        Avx512F.Shuffle4x128(even01, even23, 0xDD).Store(tile + (8 + k) * stride);
        Avx512F.Shuffle4x128(odd01, odd23, 0x88).Store(tile + (4 + k) * stride);
        Avx512F.Shuffle4x128(odd01, odd23, 0xDD).Store(tile + (12 + k) * stride);
    }

    // One panel of MR rows: for each p, the MR values A[i][p] (zero-padded rows).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int lda, int mr, int kc, float* panel)
    {
        var p = 0;
        if (mr == MR && Avx.IsSupported)
            for (; p + 8 <= kc; p += 8)
                Transpose8x8(a + p, lda, panel + p * MR, MR);
        for (var i = 0; i < MR; i++)
        {
            var row = a + (long)i * lda;
            for (var q = p; q < kc; q++)
                panel[q * MR + i] = i < mr ? row[q] : 0;
        }
    }

    // dst[c·dstStride + r] = src[r·ld + c] for an 8×8 block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int ld, float* dst, int dstStride)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + ld);
        var r2 = Avx.LoadVector256(src + 2 * ld); var r3 = Avx.LoadVector256(src + 3 * ld);
        var r4 = Avx.LoadVector256(src + 4 * ld); var r5 = Avx.LoadVector256(src + 5 * ld);
        var r6 = Avx.LoadVector256(src + 6 * ld); var r7 = Avx.LoadVector256(src + 7 * ld);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    // Panels of NR columns: for each p, the NR values op(B)[p][j] (zero-padded columns). Bᵀ is transposed 16×16 at a time
    // with 512-bit vectors (on the Zen 5 host DrDAM's A·Bᵀ at B = 64 went from 259 to 298 GFLOP/s, MrDAM's from 355 to 370), else 8×8.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, int ldb, bool transposeB, int pc, int jc, int kc, int nc, float* dest)
    {
        var rows = stackalloc nint[WideRows];
        for (var jr = 0; jr < nc; jr += NR)
        {
            var nr = Math.Min(NR, nc - jr);
            var panel = dest + jr * kc;
            if (transposeB && nr == NR && Vector512.IsHardwareAccelerated)
            {
                var whole = kc & ~(WideRows - 1);
                for (var g = 0; g < NR; g += WideRows)
                {
                    for (var r = 0; r < WideRows; r++)
                        rows[r] = (nint)(b + (long)(jc + jr + g + r) * ldb + pc);
                    for (var p = 0; p < whole; p += WideRows)
                        Transpose16x16<SingleValues>(rows, p, panel + p * NR + g, NR);
                }
                for (var p = whole; p < kc; p++)
                    for (var j = 0; j < NR; j++)
                        panel[p * NR + j] = b[(long)(jc + jr + j) * ldb + pc + p];
            }
            else if (transposeB && nr == NR && Avx.IsSupported)
            {
                var p = 0;
                for (; p + 8 <= kc; p += 8)
                    for (var g = 0; g < NR; g += 8)
                        Transpose8x8(b + (long)(jc + jr + g) * ldb + pc + p, ldb, panel + p * NR + g, NR);
                for (; p < kc; p++)
                    for (var j = 0; j < NR; j++)
                        panel[p * NR + j] = b[(long)(jc + jr + j) * ldb + pc + p];
            }
            else if (transposeB)
            {
                for (var j = 0; j < NR; j++)
                {
                    if (j < nr)
                    {
                        var column = b + (long)(jc + jr + j) * ldb + pc;
                        for (var p = 0; p < kc; p++)
                            panel[p * NR + j] = column[p];
                    }
                    else
                    {
                        for (var p = 0; p < kc; p++)
                            panel[p * NR + j] = 0;
                    }
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    var target = new Span<float>(panel + p * NR, NR);
                    new ReadOnlySpan<float>(b + (long)(pc + p) * ldb + jc + jr, nr).CopyTo(target);
                    target[nr..].Clear();
                }
            }
        }
    }

    private const int HalfRows = MR / 2;

    // Columns of C per call of KernelRowStream: its partial sums for HalfRows rows take 16 KB, within L1.
    private const int StreamColumns = 1024;

    // At most HalfRows rows of A against B's rows read in place, for `width` ≤ StreamColumns columns. Four rows of B at a
    // time, each 16-column block of the partial sums (rows of `sums`, in L1) takes their fused multiply-adds in p order,
    // so every C element is the same chain from zero over the slice as in the register kernels. But B is read row after
    // row, each row's columns contiguous, where a register tile walked a 64-column strip down the slice at a stride of
    // ldb: every row a new page, out of the prefetchers' reach, so the tile waited on the last-level cache for each row
    // (docs/ROOFLINE.md).
    private static void KernelRowStream<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, float* c, int ldc, int mr, bool add)
        where TValues : struct, IValues
    {
        for (var i = 0; i < HalfRows; i++)
            new Span<float>(sums + i * StreamColumns, width).Clear();
        RowStream<TValues>(kc, a, b, ldb, width, sums, StreamColumns);
        AddChains(sums, StreamColumns, c, ldc, mr, width, add);
    }

    // ContinueChains' kernel: the chains over a few rows of B held in registers, 512 or 256 bits wide.
    private static void Chains<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        if (Vector512.IsHardwareAccelerated)
            ChainTile512<TValues>(kc, a, b, ldb, width, sums, lds);
        else if (Vector256.IsHardwareAccelerated)
            ChainTile256<TValues>(kc, a, b, ldb, width, sums, lds);
        else if (Unfused)
            RowStream128<TValues, Unfused128>(kc, a, b, ldb, width, sums, lds);
        else
            RowStream128<TValues, Fused128>(kc, a, b, ldb, width, sums, lds);
    }

    // ChainTile512 in 256-bit vectors: 4 rows × 16 columns of chains (8 accumulators, two loads of B and four broadcasts
    // of A per row of B: 14 of AVX2's 16 registers). On the Zen 5 host with AVX-512 off, over 16 rows of B from L2, it
    // ran at 62–66 GFLOP/s per core where RowStream256 ran at 43–61.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void ChainTile256<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        var stride = (long)ldb * TValues.Size;
        var size = TValues.Size;
        float* t0 = sums, t1 = sums + lds, t2 = t1 + lds, t3 = t2 + lds;
        var j = 0;
        for (; j + 16 <= width; j += 16)
        {
            Vector256<float> c00 = Vector256.Load(t0 + j), c01 = Vector256.Load(t0 + j + 8), c10 = Vector256.Load(t1 + j), c11 = Vector256.Load(t1 + j + 8),
                c20 = Vector256.Load(t2 + j), c21 = Vector256.Load(t2 + j + 8), c30 = Vector256.Load(t3 + j), c31 = Vector256.Load(t3 + j + 8);
            var row = b + (long)j * size;
            var pa = a;
            for (var p = 0; p < kc; p++, row += stride, pa += MR)
            {
                var (w0, w1) = (TValues.Load256(row), TValues.Load256(row + 8 * size));
                var x = Vector256.Create(pa[0]);
                c00 = Vector256.FusedMultiplyAdd(x, w0, c00); c01 = Vector256.FusedMultiplyAdd(x, w1, c01);
                x = Vector256.Create(pa[1]);
                c10 = Vector256.FusedMultiplyAdd(x, w0, c10); c11 = Vector256.FusedMultiplyAdd(x, w1, c11);
                x = Vector256.Create(pa[2]);
                c20 = Vector256.FusedMultiplyAdd(x, w0, c20); c21 = Vector256.FusedMultiplyAdd(x, w1, c21);
                x = Vector256.Create(pa[3]);
                c30 = Vector256.FusedMultiplyAdd(x, w0, c30); c31 = Vector256.FusedMultiplyAdd(x, w1, c31);
            }
            c00.Store(t0 + j); c01.Store(t0 + j + 8); c10.Store(t1 + j); c11.Store(t1 + j + 8);
            c20.Store(t2 + j); c21.Store(t2 + j + 8); c30.Store(t3 + j); c31.Store(t3 + j + 8);
        }
        for (var p = 0; p < kc && j < width; p++)
            RaggedColumns<TValues>(a + p * MR, b + p * stride, j, width, sums, lds);
    }

    // HalfRows chains continued over kc rows of B (read in place), 64 columns at a time in registers: the 16 accumulators
    // are loaded from the sums and stored back once per call, and each row of B costs four loads for 16 fused
    // multiply-adds, where RowStream512 loads and stores its sums for every four rows of B. Each element is still one
    // chain over p in order. On the Zen 5 host, from L2, a round of 16 rows of B ran at 86 GFLOP/s per core in RowStream512
    // and at 140–157 here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void ChainTile512<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        var stride = (long)ldb * TValues.Size;
        var size = TValues.Size;
        float* t0 = sums, t1 = sums + lds, t2 = t1 + lds, t3 = t2 + lds;
        var j = 0;
        for (; j + 64 <= width; j += 64)
        {
            Vector512<float> c00 = Vector512.Load(t0 + j), c01 = Vector512.Load(t0 + j + 16), c02 = Vector512.Load(t0 + j + 32), c03 = Vector512.Load(t0 + j + 48),
                c10 = Vector512.Load(t1 + j), c11 = Vector512.Load(t1 + j + 16), c12 = Vector512.Load(t1 + j + 32), c13 = Vector512.Load(t1 + j + 48),
                c20 = Vector512.Load(t2 + j), c21 = Vector512.Load(t2 + j + 16), c22 = Vector512.Load(t2 + j + 32), c23 = Vector512.Load(t2 + j + 48),
                c30 = Vector512.Load(t3 + j), c31 = Vector512.Load(t3 + j + 16), c32 = Vector512.Load(t3 + j + 32), c33 = Vector512.Load(t3 + j + 48);
            var row = b + (long)j * size;
            var pa = a;
            for (var p = 0; p < kc; p++, row += stride, pa += MR)
            {
                var (w0, w1, w2, w3) = (TValues.Load512(row), TValues.Load512(row + 16 * size), TValues.Load512(row + 32 * size), TValues.Load512(row + 48 * size));
                var x = Vector512.Create(pa[0]);
                c00 = Vector512.FusedMultiplyAdd(x, w0, c00); c01 = Vector512.FusedMultiplyAdd(x, w1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, w2, c02); c03 = Vector512.FusedMultiplyAdd(x, w3, c03);
                x = Vector512.Create(pa[1]);
                c10 = Vector512.FusedMultiplyAdd(x, w0, c10); c11 = Vector512.FusedMultiplyAdd(x, w1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, w2, c12); c13 = Vector512.FusedMultiplyAdd(x, w3, c13);
                x = Vector512.Create(pa[2]);
                c20 = Vector512.FusedMultiplyAdd(x, w0, c20); c21 = Vector512.FusedMultiplyAdd(x, w1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, w2, c22); c23 = Vector512.FusedMultiplyAdd(x, w3, c23);
                x = Vector512.Create(pa[3]);
                c30 = Vector512.FusedMultiplyAdd(x, w0, c30); c31 = Vector512.FusedMultiplyAdd(x, w1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, w2, c32); c33 = Vector512.FusedMultiplyAdd(x, w3, c33);
            }
            c00.Store(t0 + j); c01.Store(t0 + j + 16); c02.Store(t0 + j + 32); c03.Store(t0 + j + 48);
            c10.Store(t1 + j); c11.Store(t1 + j + 16); c12.Store(t1 + j + 32); c13.Store(t1 + j + 48);
            c20.Store(t2 + j); c21.Store(t2 + j + 16); c22.Store(t2 + j + 32); c23.Store(t2 + j + 48);
            c30.Store(t3 + j); c31.Store(t3 + j + 16); c32.Store(t3 + j + 32); c33.Store(t3 + j + 48);
        }
        for (; j + 16 <= width; j += 16)
        {
            Vector512<float> c0 = Vector512.Load(t0 + j), c1 = Vector512.Load(t1 + j), c2 = Vector512.Load(t2 + j), c3 = Vector512.Load(t3 + j);
            var row = b + (long)j * size;
            var pa = a;
            for (var p = 0; p < kc; p++, row += stride, pa += MR)
            {
                var w = TValues.Load512(row);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(pa[0]), w, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(pa[1]), w, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(pa[2]), w, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(pa[3]), w, c3);
            }
            c0.Store(t0 + j); c1.Store(t1 + j); c2.Store(t2 + j); c3.Store(t3 + j);
        }
        for (var p = 0; p < kc && j < width; p++)
            RaggedColumns<TValues>(a + p * MR, b + p * stride, j, width, sums, lds);
    }

    private static void RowStream<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        if (Vector512.IsHardwareAccelerated)
            RowStream512<TValues>(kc, a, b, ldb, width, sums, lds);
        else if (Vector256.IsHardwareAccelerated)
            RowStream256<TValues>(kc, a, b, ldb, width, sums, lds);
        else if (Unfused)
            RowStream128<TValues, Unfused128>(kc, a, b, ldb, width, sums, lds);
        else
            RowStream128<TValues, Fused128>(kc, a, b, ldb, width, sums, lds);
    }

    // KernelRowStream's sums in 128-bit vectors, one row of B at a time (the 4 broadcasts of A, a row of B and a sum).
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void RowStream128<TValues, TProducts>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds)
        where TValues : struct, IValues where TProducts : struct, IMultiplyAdd
    {
        var stride = (long)ldb * TValues.Size;
        float* t0 = sums, t1 = sums + lds, t2 = sums + 2 * lds, t3 = sums + 3 * lds;
        var vectors = width & ~3;
        for (var p = 0; p < kc; p++, a += MR)
        {
            var row = b + p * stride;
            Vector128<float> x0 = Vector128.Create(a[0]), x1 = Vector128.Create(a[1]), x2 = Vector128.Create(a[2]), x3 = Vector128.Create(a[3]);
            for (var j = 0; j < vectors; j += 4)
            {
                var w = TValues.Load128(row + j * TValues.Size);
                TProducts.MultiplyAdd(x0, w, Vector128.Load(t0 + j)).Store(t0 + j);
                TProducts.MultiplyAdd(x1, w, Vector128.Load(t1 + j)).Store(t1 + j);
                TProducts.MultiplyAdd(x2, w, Vector128.Load(t2 + j)).Store(t2 + j);
                TProducts.MultiplyAdd(x3, w, Vector128.Load(t3 + j)).Store(t3 + j);
            }
            RaggedColumns<TValues>(a, row, vectors, width, sums, lds);
        }
    }

    // KernelRowStream's sums in 256-bit vectors, two rows of B at a time: the 8 broadcasts of A, 4 sums and a row of B
    // take 13 of AVX2's 16 registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void RowStream256<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        var stride = (long)ldb * TValues.Size;
        float* t0 = sums, t1 = sums + lds, t2 = sums + 2 * lds, t3 = sums + 3 * lds;
        var vectors = width & ~7;
        var p = 0;
        for (; p + 2 <= kc; p += 2, a += 2 * MR)
        {
            byte* b0 = b + p * stride, b1 = b0 + stride;
            Vector256<float> x00 = Vector256.Create(a[0]), x01 = Vector256.Create(a[1]), x02 = Vector256.Create(a[2]), x03 = Vector256.Create(a[3]),
                x10 = Vector256.Create(a[MR]), x11 = Vector256.Create(a[MR + 1]), x12 = Vector256.Create(a[MR + 2]), x13 = Vector256.Create(a[MR + 3]);
            for (var j = 0; j < vectors; j += 8)
            {
                var (s0, s1, s2, s3) = (Vector256.Load(t0 + j), Vector256.Load(t1 + j), Vector256.Load(t2 + j), Vector256.Load(t3 + j));
                var w = TValues.Load256(b0 + j * TValues.Size);
                s0 = Vector256.FusedMultiplyAdd(x00, w, s0); s1 = Vector256.FusedMultiplyAdd(x01, w, s1);
                s2 = Vector256.FusedMultiplyAdd(x02, w, s2); s3 = Vector256.FusedMultiplyAdd(x03, w, s3);
                w = TValues.Load256(b1 + j * TValues.Size);
                s0 = Vector256.FusedMultiplyAdd(x10, w, s0); s1 = Vector256.FusedMultiplyAdd(x11, w, s1);
                s2 = Vector256.FusedMultiplyAdd(x12, w, s2); s3 = Vector256.FusedMultiplyAdd(x13, w, s3);
                s0.Store(t0 + j); s1.Store(t1 + j); s2.Store(t2 + j); s3.Store(t3 + j);
            }
            RaggedColumns<TValues>(a, b0, vectors, width, sums, lds);
            RaggedColumns<TValues>(a + MR, b1, vectors, width, sums, lds);
        }
        for (; p < kc; p++, a += MR)
        {
            var row = b + p * stride;
            Vector256<float> x0 = Vector256.Create(a[0]), x1 = Vector256.Create(a[1]), x2 = Vector256.Create(a[2]), x3 = Vector256.Create(a[3]);
            for (var j = 0; j < vectors; j += 8)
            {
                var w = TValues.Load256(row + j * TValues.Size);
                Vector256.FusedMultiplyAdd(x0, w, Vector256.Load(t0 + j)).Store(t0 + j);
                Vector256.FusedMultiplyAdd(x1, w, Vector256.Load(t1 + j)).Store(t1 + j);
                Vector256.FusedMultiplyAdd(x2, w, Vector256.Load(t2 + j)).Store(t2 + j);
                Vector256.FusedMultiplyAdd(x3, w, Vector256.Load(t3 + j)).Store(t3 + j);
            }
            RaggedColumns<TValues>(a, row, vectors, width, sums, lds);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void RowStream512<TValues>(int kc, float* a, byte* b, int ldb, int width, float* sums, int lds) where TValues : struct, IValues
    {
        var stride = (long)ldb * TValues.Size;
        float* t0 = sums, t1 = sums + lds, t2 = sums + 2 * lds, t3 = sums + 3 * lds;
        var vectors = width & ~15;
        var p = 0;
        for (; p + 4 <= kc; p += 4, a += 4 * MR)
        {
            byte* b0 = b + p * stride, b1 = b0 + stride, b2 = b1 + stride, b3 = b2 + stride;
            Vector512<float> x00 = Vector512.Create(a[0]), x01 = Vector512.Create(a[1]), x02 = Vector512.Create(a[2]), x03 = Vector512.Create(a[3]),
                x10 = Vector512.Create(a[MR]), x11 = Vector512.Create(a[MR + 1]), x12 = Vector512.Create(a[MR + 2]), x13 = Vector512.Create(a[MR + 3]),
                x20 = Vector512.Create(a[2 * MR]), x21 = Vector512.Create(a[2 * MR + 1]), x22 = Vector512.Create(a[2 * MR + 2]), x23 = Vector512.Create(a[2 * MR + 3]),
                x30 = Vector512.Create(a[3 * MR]), x31 = Vector512.Create(a[3 * MR + 1]), x32 = Vector512.Create(a[3 * MR + 2]), x33 = Vector512.Create(a[3 * MR + 3]);
            for (var j = 0; j < vectors; j += 16)
            {
                var (s0, s1, s2, s3) = (Vector512.Load(t0 + j), Vector512.Load(t1 + j), Vector512.Load(t2 + j), Vector512.Load(t3 + j));
                var w = TValues.Load512(b0 + j * TValues.Size);
                s0 = Vector512.FusedMultiplyAdd(x00, w, s0); s1 = Vector512.FusedMultiplyAdd(x01, w, s1);
                s2 = Vector512.FusedMultiplyAdd(x02, w, s2); s3 = Vector512.FusedMultiplyAdd(x03, w, s3);
                w = TValues.Load512(b1 + j * TValues.Size);
                s0 = Vector512.FusedMultiplyAdd(x10, w, s0); s1 = Vector512.FusedMultiplyAdd(x11, w, s1);
                s2 = Vector512.FusedMultiplyAdd(x12, w, s2); s3 = Vector512.FusedMultiplyAdd(x13, w, s3);
                w = TValues.Load512(b2 + j * TValues.Size);
                s0 = Vector512.FusedMultiplyAdd(x20, w, s0); s1 = Vector512.FusedMultiplyAdd(x21, w, s1);
                s2 = Vector512.FusedMultiplyAdd(x22, w, s2); s3 = Vector512.FusedMultiplyAdd(x23, w, s3);
                w = TValues.Load512(b3 + j * TValues.Size);
                s0 = Vector512.FusedMultiplyAdd(x30, w, s0); s1 = Vector512.FusedMultiplyAdd(x31, w, s1);
                s2 = Vector512.FusedMultiplyAdd(x32, w, s2); s3 = Vector512.FusedMultiplyAdd(x33, w, s3);
                s0.Store(t0 + j); s1.Store(t1 + j); s2.Store(t2 + j); s3.Store(t3 + j);
            }
            for (var q = 0; q < 4; q++)
                RaggedColumns<TValues>(a + q * MR, b + (p + q) * stride, vectors, width, sums, lds);
        }
        for (; p < kc; p++, a += MR)
        {
            var row = b + p * stride;
            Vector512<float> x0 = Vector512.Create(a[0]), x1 = Vector512.Create(a[1]), x2 = Vector512.Create(a[2]), x3 = Vector512.Create(a[3]);
            for (var j = 0; j < vectors; j += 16)
            {
                var w = TValues.Load512(row + j * TValues.Size);
                Vector512.FusedMultiplyAdd(x0, w, Vector512.Load(t0 + j)).Store(t0 + j);
                Vector512.FusedMultiplyAdd(x1, w, Vector512.Load(t1 + j)).Store(t1 + j);
                Vector512.FusedMultiplyAdd(x2, w, Vector512.Load(t2 + j)).Store(t2 + j);
                Vector512.FusedMultiplyAdd(x3, w, Vector512.Load(t3 + j)).Store(t3 + j);
            }
            RaggedColumns<TValues>(a, row, vectors, width, sums, lds);
        }
    }

    // The columns [from, width) past the last whole vector: one row of B, the same multiply-add per element as the lanes.
    private static void RaggedColumns<TValues>(float* a, byte* row, int from, int width, float* sums, int lds) where TValues : struct, IValues
    {
        for (var i = 0; i < HalfRows; i++)
            for (var j = from; j < width; j++)
                sums[(long)i * lds + j] = MultiplyAdd(a[i], TValues.Read(row + j * TValues.Size), sums[(long)i * lds + j]);
    }

    // Without AVX2 every kernel is 128 bits wide, and an x86 processor may then have no fused multiply-add: the runtime
    // would emulate it exactly, a few hundred times slower (the MrDAM step ran at 0.84 GFLOP/s on the Zen 5 host with
    // DOTNET_EnableAVX2=0). There the 128-bit kernels and the scalar columns multiply, round and add instead: the same
    // operations on every path of that host, so a row's bits still do not depend on its batch, but they differ from a
    // host with FMA in the last bits. Arm's AdvSimd fuses, as every wider path does.
    private static bool Unfused => !Vector256.IsHardwareAccelerated && X86Base.IsSupported && !Fma.IsSupported;

    /// <summary>Whether the products fuse their multiply-adds on this host (every host but an x86 one without FMA).</summary>
    internal static bool FusesMultiplyAdds => !Unfused;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MultiplyAdd(float a, float b, float c)
    {
        if (Unfused)
            return a * b + c;
        return MathF.FusedMultiplyAdd(a, b, c);
    }

    // The 128-bit kernels' multiply-add, chosen once per call (see Unfused): as a static method of a type argument, which
    // the JIT inlines with the vectors in registers, where a helper deciding inside kept them in stack temporaries (the
    // MrDAM step at 22 GFLOP/s against 45 with DOTNET_EnableAVX2=0 on the Zen 5 host).
    private interface IMultiplyAdd
    {
        static abstract Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c);
    }

    private readonly struct Fused128 : IMultiplyAdd
    {
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    }

    private readonly struct Unfused128 : IMultiplyAdd
    {
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => a * b + c;
    }

    /// <summary>How a skinny kernel reads B's values: floats as stored, or bfloat16 widened as loaded (exactly).</summary>
    private interface IValues
    {
        /// <summary>Bytes per value.</summary>
        static abstract int Size { get; }

        static abstract float Read(byte* value);

        static abstract Vector128<float> Load128(byte* values);

        static abstract Vector256<float> Load256(byte* values);

        static abstract Vector512<float> Load512(byte* values);

        /// <summary>The value in every lane (a bfloat16 one reads the value after it too).</summary>
        static abstract Vector128<float> Broadcast128(byte* value);

        /// <summary>The value in every lane (a bfloat16 one reads the value after it too).</summary>
        static abstract Vector256<float> Broadcast256(byte* value);
    }

    private readonly struct SingleValues : IValues
    {
        public static int Size => sizeof(float);
        public static float Read(byte* value) => *(float*)value;
        public static Vector128<float> Load128(byte* values) => Vector128.Load((float*)values);
        public static Vector256<float> Load256(byte* values) => Vector256.Load((float*)values);
        public static Vector512<float> Load512(byte* values) => Vector512.Load((float*)values);
        public static Vector128<float> Broadcast128(byte* value) => Vector128.Create(*(float*)value);
        public static Vector256<float> Broadcast256(byte* value) => Vector256.Create(*(float*)value);
    }

    // A bfloat16 value is the upper half of its float: widened to 32 bits and shifted left by 16. The broadcast loads
    // 32 bits (the value and the one after it) and shifts the value into place.
    private readonly struct RoundedValues : IValues
    {
        public static int Size => sizeof(ushort);
        public static float Read(byte* value) => BitConverter.Int32BitsToSingle(*(ushort*)value << 16);
        public static Vector128<float> Load128(byte* values) => Vector128.ShiftLeft(Vector128.WidenLower(Vector64.Load((ushort*)values).ToVector128Unsafe()), 16).AsSingle();
        public static Vector256<float> Load256(byte* values) => Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load((ushort*)values).ToVector256Unsafe()), 16).AsSingle();
        public static Vector512<float> Load512(byte* values) => Vector512.ShiftLeft(Vector512.WidenLower(Vector256.Load((ushort*)values).ToVector512Unsafe()), 16).AsSingle();
        public static Vector128<float> Broadcast128(byte* value) => Vector128.ShiftLeft(Vector128.Create(*(uint*)value), 16).AsSingle();
        public static Vector256<float> Broadcast256(byte* value) => Vector256.ShiftLeft(Vector256.Create(*(uint*)value), 16).AsSingle();
    }

    // The MR×NR register tile, 512 bits wide where the CPU has them; else in 4×16 quarters (AVX2 has 16 registers, and
    // the 8×32 tile's 16 accumulators would be 32 halves, spilled in the loop). Either way each C element is the same
    // chain of fused multiply-adds over p, so the bits do not depend on the path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(int kc, float* a, float* b, int strideB, float* c, int ldc, int mr, int nr, bool add)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Kernel512(kc, a, b, strideB, c, ldc, mr, nr, add);
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < mr; i += QuarterRows)
                for (var j = 0; j < nr; j += QuarterColumns)
                    KernelQuarter(kc, a + i, b + j, strideB, c + (long)i * ldc + j, ldc, Math.Min(QuarterRows, mr - i), Math.Min(QuarterColumns, nr - j), add);
            return;
        }
        for (var i = 0; i < mr; i += QuarterRows)
            for (var j = 0; j < nr; j += EighthColumns)
                if (Unfused)
                    KernelEighth<Unfused128>(kc, a + i, b + j, strideB, c + (long)i * ldc + j, ldc, Math.Min(QuarterRows, mr - i), Math.Min(EighthColumns, nr - j), add);
                else
                    KernelEighth<Fused128>(kc, a + i, b + j, strideB, c + (long)i * ldc + j, ldc, Math.Min(QuarterRows, mr - i), Math.Min(EighthColumns, nr - j), add);
    }

    private const int EighthColumns = NR / 4;

    // Rows [i, i + 4) and columns [j, j + 8) of the tile in 128-bit vectors: 8 accumulators, two loads of B and four
    // broadcasts of A per p (SSE has 16 registers).
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void KernelEighth<TProducts>(int kc, float* a, float* b, int strideB, float* c, int ldc, int mr, int nr, bool add)
        where TProducts : struct, IMultiplyAdd
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var x = Vector128.Create(a[0]);
            c00 = TProducts.MultiplyAdd(x, b0, c00); c01 = TProducts.MultiplyAdd(x, b1, c01);
            x = Vector128.Create(a[1]);
            c10 = TProducts.MultiplyAdd(x, b0, c10); c11 = TProducts.MultiplyAdd(x, b1, c11);
            x = Vector128.Create(a[2]);
            c20 = TProducts.MultiplyAdd(x, b0, c20); c21 = TProducts.MultiplyAdd(x, b1, c21);
            x = Vector128.Create(a[3]);
            c30 = TProducts.MultiplyAdd(x, b0, c30); c31 = TProducts.MultiplyAdd(x, b1, c31);
            a += MR;
            b += strideB;
        }
        var tile = stackalloc float[QuarterRows * EighthColumns];
        c00.Store(tile); c01.Store(tile + 4); c10.Store(tile + 8); c11.Store(tile + 12);
        c20.Store(tile + 16); c21.Store(tile + 20); c30.Store(tile + 24); c31.Store(tile + 28);
        for (var i = 0; i < mr; i++)
        {
            var row = c + (long)i * ldc;
            for (var j = 0; j < nr; j++)
                row[j] = add ? row[j] + tile[i * EighthColumns + j] : tile[i * EighthColumns + j];
        }
    }

    private const int QuarterRows = MR / 2, QuarterColumns = NR / 2;

    // Rows [i, i + 4) and columns [j, j + 16) of the tile in 256-bit vectors: 8 accumulators, two loads of B and four
    // broadcasts of A per p. a and b point at the quarter's first row and column of the packed A panel and of B.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void KernelQuarter(int kc, float* a, float* b, int strideB, float* c, int ldc, int mr, int nr, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            a += MR;
            b += strideB;
        }
        if (mr == QuarterRows && nr == QuarterColumns)
        {
            Store(c, c00, c01, add); Store(c + ldc, c10, c11, add);
            Store(c + 2 * ldc, c20, c21, add); Store(c + 3 * ldc, c30, c31, add);
            return;
        }
        var tile = stackalloc float[QuarterRows * QuarterColumns];
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
        for (var i = 0; i < mr; i++)
        {
            var row = c + (long)i * ldc;
            for (var j = 0; j < nr; j++)
                row[j] = add ? row[j] + tile[i * QuarterColumns + j] : tile[i * QuarterColumns + j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> low, Vector256<float> high, bool add)
    {
        if (add)
        {
            low += Vector256.Load(c);
            high += Vector256.Load(c + 8);
        }
        low.Store(c);
        high.Store(c + 8);
    }

    // SkipLocalsInit: zeroing the edge tile would be a call with the 16 accumulators live, and without
    // PGO block weights the JIT then spills them inside the loop (5× slower).
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void Kernel512(int kc, float* a, float* b, int strideB, float* c, int ldc, int mr, int nr, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default,
            c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += MR;
            b += strideB;
        }
        if (mr == MR && nr == NR)
        {
            Store(c, c00, c01, add); Store(c + ldc, c10, c11, add);
            Store(c + 2 * ldc, c20, c21, add); Store(c + 3 * ldc, c30, c31, add);
            Store(c + 4 * ldc, c40, c41, add); Store(c + 5 * ldc, c50, c51, add);
            Store(c + 6 * ldc, c60, c61, add); Store(c + 7 * ldc, c70, c71, add);
            return;
        }
        var tile = stackalloc float[MR * NR];
        c00.Store(tile); c01.Store(tile + 16); c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80); c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144); c50.Store(tile + 160); c51.Store(tile + 176);
        c60.Store(tile + 192); c61.Store(tile + 208); c70.Store(tile + 224); c71.Store(tile + 240);
        for (var i = 0; i < mr; i++)
        {
            var row = c + (long)i * ldc;
            for (var j = 0; j < nr; j++)
                row[j] = add ? row[j] + tile[i * NR + j] : tile[i * NR + j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> low, Vector512<float> high, bool add)
    {
        if (add)
        {
            low += Vector512.Load(c);
            high += Vector512.Load(c + 16);
        }
        low.Store(c);
        high.Store(c + 16);
    }
}
