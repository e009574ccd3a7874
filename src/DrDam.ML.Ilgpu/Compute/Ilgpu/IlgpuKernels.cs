using ILGPU;
using ILGPU.Algorithms;

namespace DrDam.ML.Compute.Ilgpu;

/// <summary>
/// The device code of the ILGPU backend: a shared-memory tiled matrix product, MrDAM's fused
/// per-row weighting (softmax with its maximum subtracted), the basis features of DrDAM and the
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

    /// <summary>
    /// One thread per query row: turns the row's dot products ⟨x, ξ^μ⟩ into the energy's weights in
    /// place and writes E(x) and the coefficient a of x in the gradient (the managed energies' Weigh).
    /// Kind: 0 L2, 1 Dot, 2 CosineDot, 3 Epanechnikov.
    /// </summary>
    public static void Weigh(Index1D row, ArrayView<float> scores, ArrayView<float> patternNorms, ArrayView<float> squaredNorms,
        ArrayView<double> energies, ArrayView<float> selfCoefficients, int count, int kind, float beta, float epsilon)
    {
        var s = scores.SubView((long)row.X * count, count);
        var x2 = squaredNorms[row];
        if (kind == 3)
        {
            var total = (double)epsilon;
            var inside = 0;
            for (var i = 0; i < count; i++)
            {
                var w = XMath.Max(0f, 1f - beta / 2 * XMath.Max(0f, x2 - 2 * s[i] + patternNorms[i]));
                s[i] = w;
                total += w;
                inside += w > 0 ? 1 : 0;
            }
            var weight = (float)(1 / total);
            for (var i = 0; i < count; i++)
                s[i] = s[i] > 0 ? weight : 0f;
            energies[row] = -XMath.Log(total) / beta;
            selfCoefficients[row] = inside * weight;
            return;
        }
        var inverseNorm = x2 > 0 ? XMath.Rsqrt(x2) : 0f;
        var max = float.NegativeInfinity;
        for (var i = 0; i < count; i++)
        {
            var logit = kind switch
            {
                0 => -beta / 2 * XMath.Max(0f, x2 - 2 * s[i] + patternNorms[i]),
                1 => beta * s[i],
                _ => beta * inverseNorm * s[i],
            };
            s[i] = logit;
            max = XMath.Max(max, logit);
        }
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            var e = XMath.Exp(s[i] - max);
            s[i] = e;
            sum += e;
        }
        var scale = (float)(1 / sum);
        for (var i = 0; i < count; i++)
            s[i] *= scale;
        var logSumExp = max + XMath.Log(sum);
        energies[row] = -logSumExp / beta + (kind == 1 ? 0.5 * x2 : 0);
        selfCoefficients[row] = kind == 2 ? 0f : 1f;
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
    /// One thread per pair of entries of Ω's rows [start, start + rows): the Gaussian row of
    /// GaussianRows.Fill, drawn on the device from the same Philox counters (Box–Muller with the
    /// device's sine and cosine, so values agree with the CPU's to float rounding).
    /// </summary>
    public static void OmegaRows(Index2D index, ArrayView<float> omega, int dimension, int start, ulong seed)
    {
        var (i, local) = (index.X, index.Y);
        var pairs = (dimension + 1) / 2;
        var row = (long)start + local;
        // Pair i comes from Philox call j: words (a, b) for i % 16 < 8, (c, d) otherwise.
        var (g, w) = (i / 16, i % 16);
        var j = (uint)(8 * g + (w < 8 ? w : w - 8));
        var (a, b, c, d) = Memory.Features.GaussianRows.Words(seed, Memory.Features.RandomStream.Projection, row, j);
        var radius = XMath.Sqrt(-2f * XMath.Log(Memory.Features.Philox.ToUnitInterval(w < 8 ? a : c)));
        var angle = 2f * XMath.PI * Memory.Features.Philox.ToUnitInterval(w < 8 ? b : d) - XMath.PI;
        var destination = omega.SubView(local * (long)dimension, dimension);
        destination[i] = radius * XMath.Cos(angle);
        if (pairs + i < dimension)
            destination[pairs + i] = radius * XMath.Sin(angle);
    }
}
