using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// Rows of independent standard normal numbers, addressed by (seed, stream, row): row r is the same
/// whichever thread asks for it and whatever was generated before (Box–Muller over Philox uniforms).
/// The uniforms are exact on every path (AVX-512, AVX2 or scalar) and the angle's sine and cosine are
/// polynomials with fused multiply-adds; only the logarithm (TensorPrimitives) may differ across
/// processors, in the last bit.
/// </summary>
public static class GaussianRows
{
    private const uint Tag = 0x44524441u; // the fourth counter word of every Gaussian draw

    /// <summary>Fills <paramref name="destination"/> with row <paramref name="row"/> of the stream.</summary>
    public static void Fill(ulong seed, RandomStream stream, long row, Span<float> destination)
    {
        var pairs = (destination.Length + 1) / 2;
        var padded = Groups(pairs) * 16;
        var rented = ArrayPool<float>.Shared.Rent(2 * padded);
        try
        {
            var radius = rented.AsSpan(0, padded);
            var angle = rented.AsSpan(padded, padded);
            if (Avx512DQ.IsSupported)
                FillUniformsAvx512(seed, stream, row, radius, angle);
            else if (Avx2.IsSupported)
                FillUniformsAvx2(seed, stream, row, radius, angle);
            else
                FillUniformsScalar(seed, stream, row, radius, angle);
            // The row is [r cos θ | r sin θ]: cosines first, then as many sines as the length needs.
            BoxMuller.Transform(radius[..pairs], angle[..pairs], destination[..pairs], destination[pairs..]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>One uniform number in (0, 1] at (seed, stream, index).</summary>
    public static float Uniform(ulong seed, RandomStream stream, long index)
    {
        var (a, _, _, _) = Philox.Generate(seed, (uint)index, (uint)((ulong)index >> 32), (uint)stream << 24, 0x554E4946u);
        return Philox.ToUnitInterval(a);
    }

    /// <summary>
    /// The four uniform words of Philox call <paramref name="call"/> for a row: the definition of the row's
    /// normals, so that code generating Ω elsewhere (a device kernel) draws exactly these rows. Call j feeds
    /// normal pairs 16⌊j/8⌋ + j mod 8 (words a, b) and 16⌊j/8⌋ + 8 + j mod 8 (words c, d); a word pair (r, θ)
    /// gives √(−2 ln r)·(cos, sin)(2πθ − π), cosines first in the row.
    /// </summary>
    public static (uint A, uint B, uint C, uint D) Words(ulong seed, RandomStream stream, long row, uint call)
        => Philox.Generate(seed, call, (uint)row, RowHigh(stream, row), Tag);

    private static int Groups(int pairs) => (pairs + 15) / 16;

    private static uint RowHigh(RandomStream stream, long row) => (uint)((ulong)row >> 32) | ((uint)stream << 24);

    // Philox call j (counter j, row, stream) gives four words a, b, c, d. Calls go in groups of 8:
    // in group g, radius[16g + i] = a and radius[16g + 8 + i] = c of call 8g + i, angle likewise
    // with b and d. The scalar path below and the two vector paths write exactly this layout.
    internal static void FillUniformsScalar(ulong seed, RandomStream stream, long row, Span<float> radius, Span<float> angle)
    {
        for (var j = 0; j < radius.Length / 2; j++)
        {
            var (a, b, c, d) = Words(seed, stream, row, (uint)j);
            var at = j / 8 * 16 + j % 8;
            radius[at] = Philox.ToUnitInterval(a);
            radius[at + 8] = Philox.ToUnitInterval(c);
            angle[at] = Philox.ToUnitInterval(b);
            angle[at + 8] = Philox.ToUnitInterval(d);
        }
    }

    // Philox in 32-bit lanes, one call per lane: 16 calls per 512-bit vector (calls 16h..16h+15 feed groups 2h and
    // 2h + 1), 8 per 256-bit vector (one group). A 32×32-bit multiply keeps both halves of its product only in 64-bit
    // lanes, so each of a round's two products is taken twice, for the even lanes and for the odd ones shifted down,
    // and the halves are merged back into 32-bit lanes. Two vectors go through the ten rounds together, so that the
    // multiplies of one hide the latency of the other's (docs/ROOFLINE.md, "The on-demand generator"). Neither is
    // inlined: inside Fill's try/finally the JIT also writes every vector of the state to the stack, and a row took
    // 10–20% longer than before the change instead of 10% less.
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void FillUniformsAvx512(ulong seed, RandomStream stream, long row, Span<float> radius, Span<float> angle)
    {
        var groups = radius.Length / 16;
        var (rowLow, rowHigh, tag) = (Vector512.Create((uint)row), Vector512.Create(RowHigh(stream, row)), Vector512.Create(Tag));
        var g = 0;
        for (; g + 4 <= groups; g += 4)
        {
            var (a0, b0, c0, d0) = (Vector512<uint>.Indices + Vector512.Create((uint)(8 * g)), rowLow, rowHigh, tag);
            var (a1, b1, c1, d1) = (a0 + Vector512.Create(16u), rowLow, rowHigh, tag);
            var key = Philox.FirstKey(seed);
            for (var round = 0; round < 10; round++, key = Philox.NextKey(key))
            {
                var (key0, key1) = (Vector512.Create(key.K0), Vector512.Create(key.K1));
                Round(ref a0, ref b0, ref c0, ref d0, key0, key1);
                Round(ref a1, ref b1, ref c1, ref d1, key0, key1);
            }
            Store(a0, b0, c0, d0, radius, angle, g, 2);
            Store(a1, b1, c1, d1, radius, angle, g + 2, 2);
        }
        for (; g < groups; g += 2)
        {
            var (a, b, c, d) = (Vector512<uint>.Indices + Vector512.Create((uint)(8 * g)), rowLow, rowHigh, tag);
            var key = Philox.FirstKey(seed);
            for (var round = 0; round < 10; round++, key = Philox.NextKey(key))
                Round(ref a, ref b, ref c, ref d, Vector512.Create(key.K0), Vector512.Create(key.K1));
            Store(a, b, c, d, radius, angle, g, Math.Min(2, groups - g));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void FillUniformsAvx2(ulong seed, RandomStream stream, long row, Span<float> radius, Span<float> angle)
    {
        var groups = radius.Length / 16;
        var (rowLow, rowHigh, tag) = (Vector256.Create((uint)row), Vector256.Create(RowHigh(stream, row)), Vector256.Create(Tag));
        var g = 0;
        for (; g + 2 <= groups; g += 2)
        {
            var (a0, b0, c0, d0) = (Vector256<uint>.Indices + Vector256.Create((uint)(8 * g)), rowLow, rowHigh, tag);
            var (a1, b1, c1, d1) = (a0 + Vector256.Create(8u), rowLow, rowHigh, tag);
            var key = Philox.FirstKey(seed);
            for (var round = 0; round < 10; round++, key = Philox.NextKey(key))
            {
                var (key0, key1) = (Vector256.Create(key.K0), Vector256.Create(key.K1));
                Round(ref a0, ref b0, ref c0, ref d0, key0, key1);
                Round(ref a1, ref b1, ref c1, ref d1, key0, key1);
            }
            Store(a0, b0, c0, d0, radius, angle, g);
            Store(a1, b1, c1, d1, radius, angle, g + 1);
        }
        if (g < groups)
        {
            var (a, b, c, d) = (Vector256<uint>.Indices + Vector256.Create((uint)(8 * g)), rowLow, rowHigh, tag);
            var key = Philox.FirstKey(seed);
            for (var round = 0; round < 10; round++, key = Philox.NextKey(key))
                Round(ref a, ref b, ref c, ref d, Vector256.Create(key.K0), Vector256.Create(key.K1));
            Store(a, b, c, d, radius, angle, g);
        }
    }

    // One Philox round of 16 calls (the four counter words, call i in lane i of each).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector512<uint> a, ref Vector512<uint> b, ref Vector512<uint> c, ref Vector512<uint> d, Vector512<uint> key0, Vector512<uint> key1)
    {
        var (high0, low0) = Product(a, Vector512.Create(Philox.M0));
        var (high1, low1) = Product(c, Vector512.Create(Philox.M1));
        (a, b, c, d) = (high1 ^ b ^ key0, low1, high0 ^ d ^ key1, low0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d, Vector256<uint> key0, Vector256<uint> key1)
    {
        var (high0, low0) = Product(a, Vector256.Create(Philox.M0));
        var (high1, low1) = Product(c, Vector256.Create(Philox.M1));
        (a, b, c, d) = (high1 ^ b ^ key0, low1, high0 ^ d ^ key1, low0);
    }

    // The high and low halves of x·m in every 32-bit lane: vpmuludq multiplies the even lanes, and the odd lanes
    // shifted down; one two-source permute per half puts the halves back in lane order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<uint> High, Vector512<uint> Low) Product(Vector512<uint> x, Vector512<uint> m)
    {
        var even = Avx512F.Multiply(x, m).AsUInt32();
        var odd = Avx512F.Multiply(Vector512.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), m).AsUInt32();
        return (Avx512F.PermuteVar16x32x2(even, Vector512.Create(1u, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31), odd),
            Avx512F.PermuteVar16x32x2(even, Vector512.Create(0u, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30), odd));
    }

    // The same with 256-bit vectors, the halves merged by shifts and a blend of the odd lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> High, Vector256<uint> Low) Product(Vector256<uint> x, Vector256<uint> m)
    {
        var even = Avx2.Multiply(x, m);
        var odd = Avx2.Multiply(Vector256.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), m);
        return (Avx2.Blend(Vector256.ShiftRightLogical(even, 32).AsUInt32(), odd.AsUInt32(), 0b1010_1010),
            Avx2.Blend(even.AsUInt32(), Vector256.ShiftLeft(odd, 32).AsUInt32(), 0b1010_1010));
    }

    // Groups g and g + 1 (count of them) from calls 8g..8g+15: radius[16g + i] = a of call 8g + i and
    // radius[16g + 8 + i] = c of it, the second group likewise from calls 8g + 8..8g + 15; angle from b and d.
    private static void Store(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Span<float> radius, Span<float> angle, int group, int count)
    {
        var (ua, ub, uc, ud) = (ToUnit(a), ToUnit(b), ToUnit(c), ToUnit(d));
        Avx512F.Shuffle4x128(ua, uc, 0b01_00_01_00).CopyTo(radius[(16 * group)..]);
        Avx512F.Shuffle4x128(ub, ud, 0b01_00_01_00).CopyTo(angle[(16 * group)..]);
        if (count < 2)
            return;
        Avx512F.Shuffle4x128(ua, uc, 0b11_10_11_10).CopyTo(radius[(16 * group + 16)..]);
        Avx512F.Shuffle4x128(ub, ud, 0b11_10_11_10).CopyTo(angle[(16 * group + 16)..]);
    }

    // Group g from calls 8g..8g+7.
    private static void Store(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Span<float> radius, Span<float> angle, int group)
    {
        ToUnit(a).CopyTo(radius[(16 * group)..]);
        ToUnit(c).CopyTo(radius[(16 * group + 8)..]);
        ToUnit(b).CopyTo(angle[(16 * group)..]);
        ToUnit(d).CopyTo(angle[(16 * group + 8)..]);
    }

    // ((x >> 8) + 1)·2⁻²⁴ for 32-bit words: exact (at most 2²⁴), as in Philox.ToUnitInterval.
    private static Vector512<float> ToUnit(Vector512<uint> words)
        => Vector512.ConvertToSingle((Vector512.ShiftRightLogical(words, 8) + Vector512<uint>.One).AsInt32()) * Vector512.Create(1f / (1 << 24));

    private static Vector256<float> ToUnit(Vector256<uint> words)
        => Vector256.ConvertToSingle((Vector256.ShiftRightLogical(words, 8) + Vector256<uint>.One).AsInt32()) * Vector256.Create(1f / (1 << 24));
}
