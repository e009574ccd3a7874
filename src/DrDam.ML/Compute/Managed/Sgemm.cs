using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DrDam.ML.Memory.Parallelism;

namespace DrDam.ML.Compute.Managed;

/// <summary>
/// Single-precision matrix product C (+)= A·op(B), all row-major: A is m×k; op(B) is B (k×n) or Bᵀ
/// (B stored n×k). Goto/BLIS blocking: panels of B (KC×NC) and A (MC×KC) are packed per worker,
/// an 8×32 register tile is accumulated with 512-bit fused multiply-adds, and independent
/// (MC×NC) tiles of C are spread over the cores. With at most 8 rows of A, B is streamed once instead. Each C element sums k in the same order whatever
/// the thread count, so results are bit-identical across thread counts.
/// </summary>
internal static unsafe class Sgemm
{
    private const int MR = 8, NR = 32, KC = 256, MC = 128, NC = 256;

    // With this few rows of A, packing B costs as much as the product and the 8-row register tile is
    // mostly padding: stream B once instead (the shape of a descent step on a handful of queries).
    private const int SkinnyRows = 8, SkinnyColumnsNT = 64, SkinnyColumnsNN = 1024;

    [ThreadStatic] private static float[]? packedA;
    [ThreadStatic] private static float[]? packedB;

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
            MultiplySkinny(a, lda, b, ldb, transposeB, c, ldc, m, n, k, accumulate);
            return;
        }
        var tilesM = (m + MC - 1) / MC;
        var tilesN = (n + NC - 1) / NC;
        var job = callerJob ??= new Job();
        job.A = a;
        job.B = b;
        job.C = c;
        (job.Lda, job.Ldb, job.TransposeB, job.Ldc) = (lda, ldb, transposeB, ldc);
        (job.M, job.N, job.K, job.Accumulate, job.TilesN) = (m, n, k, accumulate, tilesN);
        WorkerPool.For(tilesM * tilesN, job);
    }

    [ThreadStatic] private static Job? callerJob;
    [ThreadStatic] private static SkinnyJob? callerSkinnyJob;

    private static void MultiplySkinny(float* a, int lda, float* b, int ldb, bool transposeB, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        var job = callerSkinnyJob ??= new SkinnyJob();
        job.A = a;
        job.B = b;
        job.C = c;
        (job.Lda, job.Ldb, job.Ldc, job.M, job.N, job.K, job.TransposeB, job.Accumulate) = (lda, ldb, ldc, m, n, k, transposeB, accumulate);
        job.Columns = transposeB ? SkinnyColumnsNT : SkinnyColumnsNN;
        WorkerPool.For((n + job.Columns - 1) / job.Columns, job);
    }

    // Columns [j0, j1) of C: NT as dot products of A's rows with B's rows; NN as C_i += A[i,p]·B_p,
    // p in order, over a slice of C that stays in L1. Each element's k-order is fixed.
    private sealed class SkinnyJob : IParallelWork
    {
        public float* A, B, C;
        public int Lda, Ldb, Ldc, M, N, K, Columns;
        public bool TransposeB, Accumulate;

        public void Execute(int chunk)
        {
            var j0 = chunk * Columns;
            var width = Math.Min(Columns, N - j0);
            if (TransposeB)
            {
                for (var j = j0; j < j0 + width; j++)
                {
                    var column = new ReadOnlySpan<float>(B + (long)j * Ldb, K);
                    for (var i = 0; i < M; i++)
                    {
                        var dot = System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(A + (long)i * Lda, K), column);
                        var target = C + (long)i * Ldc + j;
                        *target = Accumulate ? *target + dot : dot;
                    }
                }
                return;
            }
            for (var i = 0; i < M; i++)
            {
                if (!Accumulate)
                    new Span<float>(C + (long)i * Ldc + j0, width).Clear();
            }
            for (var p = 0; p < K; p++)
            {
                var row = new ReadOnlySpan<float>(B + (long)p * Ldb + j0, width);
                for (var i = 0; i < M; i++)
                {
                    var target = new Span<float>(C + (long)i * Ldc + j0, width);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, A[(long)i * Lda + p], target, target);
                }
            }
        }
    }

    // One product's arguments; reused by its calling thread, so a product allocates nothing.
    private sealed class Job : IParallelWork
    {
        public float* A, B, C;
        public int Lda, Ldb, Ldc, M, N, K, TilesN;
        public bool TransposeB, Accumulate;

        public void Execute(int tile)
        {
            var ic = tile / TilesN * MC;
            var jc = tile % TilesN * NC;
            var mc = Math.Min(MC, M - ic);
            var nc = Math.Min(NC, N - jc);
            var ap = packedA ??= GC.AllocateUninitializedArray<float>(MC * KC, pinned: true);
            var bp = packedB ??= GC.AllocateUninitializedArray<float>(NC * KC, pinned: true);
            fixed (float* pa = ap, pb = bp)
            {
                for (var pc = 0; pc < K; pc += KC)
                {
                    var kc = Math.Min(KC, K - pc);
                    PackB(B, Ldb, TransposeB, pc, jc, kc, nc, pb);
                    PackA(A + (long)ic * Lda + pc, Lda, mc, kc, pa);
                    var add = Accumulate || pc > 0;
                    for (var jr = 0; jr < nc; jr += NR)
                    {
                        var nr = Math.Min(NR, nc - jr);
                        for (var ir = 0; ir < mc; ir += MR)
                        {
                            var mr = Math.Min(MR, mc - ir);
                            var tileC = C + (long)(ic + ir) * Ldc + jc + jr;
                            Kernel(kc, pa + ir * kc, pb + jr * kc, tileC, Ldc, mr, nr, add);
                        }
                    }
                }
            }
        }
    }

    // Panels of MR rows: for each p, the MR values A[i][p] (zero-padded rows).
    private static void PackA(float* a, int lda, int mc, int kc, float* dest)
    {
        for (var ir = 0; ir < mc; ir += MR)
        {
            var mr = Math.Min(MR, mc - ir);
            var panel = dest + ir * kc;
            for (var i = 0; i < MR; i++)
            {
                if (i < mr)
                {
                    var row = a + (long)(ir + i) * lda;
                    for (var p = 0; p < kc; p++)
                        panel[p * MR + i] = row[p];
                }
                else
                {
                    for (var p = 0; p < kc; p++)
                        panel[p * MR + i] = 0;
                }
            }
        }
    }

    // Panels of NR columns: for each p, the NR values op(B)[p][j] (zero-padded columns).
    private static void PackB(float* b, int ldb, bool transposeB, int pc, int jc, int kc, int nc, float* dest)
    {
        for (var jr = 0; jr < nc; jr += NR)
        {
            var nr = Math.Min(NR, nc - jr);
            var panel = dest + jr * kc;
            if (transposeB)
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
                    var row = b + (long)(pc + p) * ldb + jc + jr;
                    var target = panel + p * NR;
                    var j = 0;
                    for (; j < nr; j++)
                        target[j] = row[j];
                    for (; j < NR; j++)
                        target[j] = 0;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* a, float* b, float* c, int ldc, int mr, int nr, bool add)
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
            b += NR;
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
