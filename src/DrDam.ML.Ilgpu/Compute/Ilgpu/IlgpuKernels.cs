using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// The device code of the ILGPU backend: a shared-memory tiled matrix product, MrDAM's fused
/// per-row weighting (softmax with its maximum subtracted, one group per row), the basis features of DrDAM and the
/// on-device generation of Ω's rows from Philox, the same counter-based stream as the CPU's.
/// </summary>
internal static class IlgpuKernels
{
    /// <summary>The largest tile edge of the matrix product (16: groups of 256 threads on a GPU).</summary>
    public const int MaxTile = 16;

    /// <summary>
    /// C (m×n, row-major) = A (m×k) · op(B), op(B) = Bᵀ with B n×k when <paramref name="transposeB"/> is 1, else B (k×n);
    /// C += instead of = when <paramref name="accumulate"/> is 1. A group of tile×tile threads (tile ≤ MaxTile) computes one
    /// tile×tile block of C from tiles of A and B staged in shared memory; launched on ⌈n/tile⌉×⌈m/tile⌉ groups.
    /// </summary>
    public static void Multiply(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, int transposeB, int accumulate, int tile)
    {
        var tileA = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var tileB = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var (tx, ty) = (Group.IdxX, Group.IdxY);
        var row = Grid.IdxY * tile + ty;
        var col = Grid.IdxX * tile + tx;
        // With Bᵀ, thread (tx, ty) loads B's row (block column + ty) at k-offset tx, so neighbouring threads read neighbouring addresses.
        var bRow = Grid.IdxX * tile + ty;
        var sum = 0f;
        for (var t = 0; t < k; t += tile)
        {
            var ak = t + tx;
            tileA[ty * tile + tx] = row < m && ak < k ? a[(long)row * k + ak] : 0f;
            if (transposeB != 0)
                tileB[tx * tile + ty] = bRow < n && ak < k ? b[(long)bRow * k + ak] : 0f;
            else
            {
                var bk = t + ty;
                tileB[ty * tile + tx] = col < n && bk < k ? b[(long)bk * n + col] : 0f;
            }
            Group.Barrier();
            for (var i = 0; i < tile; i++)
                sum += tileA[ty * tile + i] * tileB[i * tile + tx];
            Group.Barrier();
        }
        if (row < m && col < n)
        {
            var at = (long)row * n + col;
            c[at] = accumulate != 0 ? c[at] + sum : sum;
        }
    }

    /// <summary>The most rows of A the few-row products take (a skinny batch: fig1 queries 4 images at a time).</summary>
    public const int FewRows = 8;

    /// <summary>The columns of A staged in shared memory at a time by <see cref="MultiplyFewRowsTransposed"/>.</summary>
    public const int StagedColumns = 1024;

    /// <summary>
    /// C (m×n) (+)= A (m×k)·Bᵀ (B n×k) for m ≤ <see cref="FewRows"/>, bound by reading B once: each warp of a group takes
    /// one row of B, its lanes stride along it (coalesced) and keep one sum per row of A; A is staged in shared memory
    /// <see cref="StagedColumns"/> columns at a time, so that a group reads it once for all its warps' rows of B.
    /// Launched on ⌈n / warps per group⌉ × S groups: with S = 1 the sums go to C; with S &gt; 1 group (x, s) sums
    /// k's columns [s·<paramref name="sliceColumns"/>, (s + 1)·sliceColumns) into partials[s] (m×n), for <see cref="SumSlices"/>.
    /// </summary>
    public static void MultiplyFewRowsTransposed(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, int accumulate, int sliceColumns)
    {
        var staged = SharedMemory.Allocate<float>(FewRows * StagedColumns);
        var j = Grid.IdxX * (Group.DimX / Warp.WarpSize) + Warp.WarpIdx;
        var lane = Warp.LaneIdx;
        var row = (long)XMath.Min(j, n - 1) * k;
        var sums = default(FewRowSums);
        var end = XMath.Min(k, (Grid.IdxY + 1) * sliceColumns);
        for (var t0 = Grid.IdxY * sliceColumns; t0 < end; t0 += StagedColumns)
        {
            var width = XMath.Min(StagedColumns, end - t0);
            for (var i = Group.IdxX; i < m * width; i += Group.DimX)
            {
                var (r, t) = (i / width, i % width);
                staged[r * StagedColumns + t] = a[(long)r * k + t0 + t];
            }
            Group.Barrier();
            // Four of the lane's values of B in flight at a time, added in the order a one-at-a-time loop adds them.
            var w = Warp.WarpSize;
            var t1 = lane;
            for (; t1 + 3 * w < width; t1 += 4 * w)
            {
                var (v0, v1, v2, v3) = (b[row + t0 + t1], b[row + t0 + t1 + w], b[row + t0 + t1 + 2 * w], b[row + t0 + t1 + 3 * w]);
                sums.Add(staged, t1, StagedColumns, m, v0);
                sums.Add(staged, t1 + w, StagedColumns, m, v1);
                sums.Add(staged, t1 + 2 * w, StagedColumns, m, v2);
                sums.Add(staged, t1 + 3 * w, StagedColumns, m, v3);
            }
            for (; t1 < width; t1 += w)
                sums.Add(staged, t1, StagedColumns, m, b[row + t0 + t1]);
            Group.Barrier();
        }
        if (j >= n)
            return;
        var (target, add) = Grid.DimY == 1 ? (c, accumulate) : (c.SubView((long)Grid.IdxY * m * n, (long)m * n), 0);
        for (var r = 0; r < m; r++) // m is the same for the whole warp: every lane takes part in each reduction
        {
            var sum = WarpExtensions.Reduce<float, AddFloat>(sums.Row(r));
            if (Warp.IsFirstLane)
            {
                var at = (long)r * n + j;
                target[at] = add != 0 ? target[at] + sum : sum;
            }
        }
    }

    /// <summary>
    /// The slices of C (m×n) = A (m×k)·B (B k×n) for m ≤ <see cref="FewRows"/>: group (x, s) writes, for n's columns
    /// x·group … x·group + group − 1, the sum over B's rows [s·<paramref name="sliceRows"/>, (s + 1)·sliceRows) into
    /// partials[s] (m×n). Each thread takes one column (coalesced reads of B, A's values broadcast); the slices give
    /// the GPU enough threads when n is small against k. <see cref="SumSlices"/> adds them in a fixed order.
    /// </summary>
    public static void MultiplyFewRowsSliced(ArrayView<float> a, ArrayView<float> b, ArrayView<float> partials, int m, int n, int k, int sliceRows)
    {
        var j = Grid.IdxX * Group.DimX + Group.IdxX;
        var slice = Grid.IdxY;
        if (j >= n)
            return;
        var sums = default(FewRowSums);
        var end = XMath.Min(k, (slice + 1) * sliceRows);
        // Four rows of B in flight at a time, added in row order.
        var t = slice * sliceRows;
        for (; t + 3 < end; t += 4)
        {
            var at = (long)t * n + j;
            var (v0, v1, v2, v3) = (b[at], b[at + n], b[at + 2L * n], b[at + 3L * n]);
            sums.Add(a, t, k, m, v0);
            sums.Add(a, t + 1, k, m, v1);
            sums.Add(a, t + 2, k, m, v2);
            sums.Add(a, t + 3, k, m, v3);
        }
        for (; t < end; t++)
            sums.Add(a, t, k, m, b[(long)t * n + j]);
        var p = partials.SubView((long)slice * m * n, (long)m * n);
        for (var r = 0; r < m; r++)
            p[(long)r * n + j] = sums.Row(r);
    }

    /// <summary>C (length) (+)= Σ over s of partials[s] (each length values), summed in slice order: one thread per value.</summary>
    public static void SumSlices(Index1D index, ArrayView<float> partials, ArrayView<float> c, int length, int slices, int accumulate)
    {
        var sum = accumulate != 0 ? c[index] : 0f;
        for (var s = 0; s < slices; s++)
            sum += partials[(long)s * length + index];
        c[index] = sum;
    }

    /// <summary>
    /// One group per query row (launched on rows × group threads): turns the row's dot products ⟨x, ξ^μ⟩ into the
    /// energy's weights in place and writes E(x) and the coefficient a of x in the gradient (the managed energies'
    /// Weigh). The group's threads stride over the K scores, and the maximum, the sum of exponentials (in double)
    /// and Epanechnikov's count of patterns inside its support are reduced across the group.
    /// Kind: 0 L2, 1 Dot, 2 CosineDot, 3 Epanechnikov.
    /// </summary>
    public static void Weigh(ArrayView<float> scores, ArrayView<float> patternNorms, ArrayView<float> squaredNorms,
        ArrayView<double> energies, ArrayView<float> selfCoefficients, int count, int kind, float beta, float epsilon)
    {
        var row = Grid.IdxX;
        var (lane, width) = (Group.IdxX, Group.DimX);
        var s = scores.SubView((long)row * count, count);
        var x2 = squaredNorms[row];
        if (kind == 3)
        {
            var partial = 0.0;
            var inside = 0;
            for (var i = lane; i < count; i += width)
            {
                var w = XMath.Max(0f, 1f - beta / 2 * XMath.Max(0f, x2 - 2 * s[i] + patternNorms[i]));
                s[i] = w;
                partial += w;
                inside += w > 0 ? 1 : 0;
            }
            var total = epsilon + GroupExtensions.AllReduce<double, AddDouble>(partial);
            var insideCount = GroupExtensions.AllReduce<int, AddInt32>(inside);
            var weight = (float)(1 / total);
            for (var i = lane; i < count; i += width)
                s[i] = s[i] > 0 ? weight : 0f;
            if (lane == 0)
            {
                energies[row] = -XMath.Log(total) / beta;
                selfCoefficients[row] = insideCount * weight;
            }
            return;
        }
        var inverseNorm = x2 > 0 ? XMath.Rsqrt(x2) : 0f;
        var localMax = float.NegativeInfinity;
        for (var i = lane; i < count; i += width)
        {
            var logit = kind switch
            {
                0 => -beta / 2 * XMath.Max(0f, x2 - 2 * s[i] + patternNorms[i]),
                1 => beta * s[i],
                _ => beta * inverseNorm * s[i],
            };
            s[i] = logit;
            localMax = XMath.Max(localMax, logit);
        }
        var max = GroupExtensions.AllReduce<float, MaxFloat>(localMax);
        var partialSum = 0.0;
        for (var i = lane; i < count; i += width)
        {
            var e = XMath.Exp(s[i] - max);
            s[i] = e;
            partialSum += e;
        }
        var sum = GroupExtensions.AllReduce<double, AddDouble>(partialSum);
        var scale = (float)(1 / sum);
        for (var i = lane; i < count; i += width)
            s[i] *= scale;
        if (lane == 0)
        {
            energies[row] = -(max + XMath.Log(sum)) / beta + (kind == 1 ? 0.5 * x2 : 0);
            selfCoefficients[row] = kind == 2 ? 0f : 1f;
        }
    }

    /// <summary>
    /// One thread per (query, feature) of a block of n features starting at <paramref name="start"/>:
    /// from s = ⟨ω, z⟩ writes φ's parts (first, second) and u = ∂⟨φ,T⟩/∂s (the managed bases' Backward).
    /// Basis: 0 SinCos, 1 Cos, 2 PositiveExp, 3 PositiveExpExp; <paramref name="scale"/> is 1/√Y (√(2/Y) for Cos),
    /// <paramref name="logShift"/> −½ln Y (−½ln 2Y for PositiveExpExp).
    /// </summary>
    public static void Features(Index2D index, ArrayView<float> projections, ArrayView<float> offsets, ArrayView<float> zSquaredNorms,
        ArrayView<float> memoryFirst, ArrayView<float> memorySecond, ArrayView<float> first, ArrayView<float> second, ArrayView<float> u,
        int n, int start, int basis, float scale, float logShift)
    {
        var (alpha, row) = (index.X, index.Y);
        var at = (long)row * n + alpha;
        var s = projections[at];
        var t0 = memoryFirst[start + alpha];
        switch (basis)
        {
            case 0:
            {
                var (cos, sin) = (XMath.Cos(s) * scale, XMath.Sin(s) * scale);
                var t1 = memorySecond[start + alpha];
                first[at] = cos;
                second[at] = sin;
                u[at] = cos * t1 - sin * t0;
                break;
            }
            case 1:
            {
                var shifted = s + offsets[start + alpha];
                first[at] = XMath.Cos(shifted) * scale;
                u[at] = -XMath.Sin(shifted) * scale * t0;
                break;
            }
            case 2:
            {
                var f = XMath.Exp(s - zSquaredNorms[row] + logShift);
                first[at] = f;
                u[at] = f * t0;
                break;
            }
            default:
            {
                var shift = logShift - zSquaredNorms[row];
                var (f, g) = (XMath.Exp(s + shift), XMath.Exp(-s + shift));
                var t1 = memorySecond[start + alpha];
                first[at] = f;
                second[at] = g;
                u[at] = f * t0 - g * t1;
                break;
            }
        }
    }

    /// <summary>
    /// One thread per Philox call of Ω's rows [start, start + rows) (launched on <see cref="OmegaCalls"/> × rows): the
    /// Gaussian row of GaussianRows.Fill, drawn on the device from the same Philox counters. Call j = 8g + w of a row
    /// gives four words: (a, b) make pair 16g + w and (c, d) pair 16g + 8 + w, each pair two entries by Box–Muller
    /// with the device's sine and cosine (so values agree with the CPU's to float rounding). One call serves both of
    /// its pairs; a thread per pair computed every call twice.
    /// </summary>
    public static void OmegaRows(Index2D index, ArrayView<float> omega, int dimension, int start, ulong seed)
    {
        var (call, local) = (index.X, index.Y);
        var pairs = (dimension + 1) / 2;
        var (a, b, c, d) = Memory.Features.GaussianRows.Words(seed, Memory.Features.RandomStream.Projection, (long)start + local, (uint)call);
        var destination = omega.SubView(local * (long)dimension, dimension);
        var (g, w) = (call / 8, call % 8);
        GaussianPair(destination, 16 * g + w, pairs, a, b);
        GaussianPair(destination, 16 * g + 8 + w, pairs, c, d);
    }

    /// <summary>The Philox calls of one row of <paramref name="dimension"/> entries: 8 per group of 16 pairs.</summary>
    public static int OmegaCalls(int dimension) => 8 * (((dimension + 1) / 2 + 15) / 16);

    // Pair i of a row: entries i and pairs + i (the latter absent for the last pair of an odd dimension).
    private static void GaussianPair(ArrayView<float> row, int i, int pairs, uint radiusWord, uint angleWord)
    {
        if (i >= pairs)
            return;
        var radius = XMath.Sqrt(-2f * XMath.Log(Memory.Features.Philox.ToUnitInterval(radiusWord)));
        var angle = 2f * XMath.PI * Memory.Features.Philox.ToUnitInterval(angleWord) - XMath.PI;
        row[i] = radius * XMath.Cos(angle);
        if (pairs + i < row.IntLength)
            row[pairs + i] = radius * XMath.Sin(angle);
    }
}
