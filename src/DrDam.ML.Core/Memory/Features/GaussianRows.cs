using System.Buffers;
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
    // with b and d. Both paths below write exactly this layout.
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

    internal static void FillUniformsAvx512(ulong seed, RandomStream stream, long row, Span<float> radius, Span<float> angle)
    {
        var low32 = Vector512.Create(0xFFFF_FFFFUL);
        var m0 = Vector512.Create(0xD2511F53UL).AsUInt32();
        var m1 = Vector512.Create(0xCD9E8D57UL).AsUInt32();
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var rowLow = Vector512.Create((ulong)(uint)row);
        var rowHigh = Vector512.Create((ulong)RowHigh(stream, row));
        var tag = Vector512.Create((ulong)Tag);
        var unit = Vector512.Create(1f / (1 << 24));
        for (var g = 0; g < radius.Length / 16; g++)
        {
            var c0 = lanes + Vector512.Create((ulong)(8 * g));
            var c1 = rowLow;
            var c2 = rowHigh;
            var c3 = tag;
            var k0 = (uint)seed;
            var k1 = (uint)(seed >> 32);
            for (var round = 0; round < 10; round++)
            {
                var p0 = Avx512F.Multiply(c0.AsUInt32(), m0);
                var p1 = Avx512F.Multiply(c2.AsUInt32(), m1);
                var n0 = Vector512.ShiftRightLogical(p1, 32) ^ c1 ^ Vector512.Create((ulong)k0);
                var n2 = Vector512.ShiftRightLogical(p0, 32) ^ c3 ^ Vector512.Create((ulong)k1);
                c0 = n0;
                c1 = p1 & low32;
                c2 = n2;
                c3 = p0 & low32;
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            ToUnit(c0, c2, unit).CopyTo(radius.Slice(16 * g, 16));
            ToUnit(c1, c3, unit).CopyTo(angle.Slice(16 * g, 16));
        }
    }

    // The same calls in 256-bit vectors: the two halves of a group (calls 8g..8g+3 and 8g+4..8g+7) side by side, four
    // 64-bit lanes each, narrowed together into the group's 8 words.
    internal static void FillUniformsAvx2(ulong seed, RandomStream stream, long row, Span<float> radius, Span<float> angle)
    {
        var low32 = Vector256.Create(0xFFFF_FFFFUL);
        var m0 = Vector256.Create(0xD2511F53UL).AsUInt32();
        var m1 = Vector256.Create(0xCD9E8D57UL).AsUInt32();
        var lanes = Vector256.Create(0UL, 1, 2, 3);
        var rowLow = Vector256.Create((ulong)(uint)row);
        var rowHigh = Vector256.Create((ulong)RowHigh(stream, row));
        var tag = Vector256.Create((ulong)Tag);
        var unit = Vector256.Create(1f / (1 << 24));
        for (var g = 0; g < radius.Length / 16; g++)
        {
            var (a0, a1) = (lanes + Vector256.Create((ulong)(8 * g)), lanes + Vector256.Create((ulong)(8 * g + 4)));
            var (b0, b1, c0, c1, d0, d1) = (rowLow, rowLow, rowHigh, rowHigh, tag, tag);
            var k0 = (uint)seed;
            var k1 = (uint)(seed >> 32);
            for (var round = 0; round < 10; round++)
            {
                var (key0, key1) = (Vector256.Create((ulong)k0), Vector256.Create((ulong)k1));
                var (p0, q0) = (Avx2.Multiply(a0.AsUInt32(), m0), Avx2.Multiply(a1.AsUInt32(), m0));
                var (p1, q1) = (Avx2.Multiply(c0.AsUInt32(), m1), Avx2.Multiply(c1.AsUInt32(), m1));
                (a0, a1) = (Vector256.ShiftRightLogical(p1, 32) ^ b0 ^ key0, Vector256.ShiftRightLogical(q1, 32) ^ b1 ^ key0);
                (c0, c1) = (Vector256.ShiftRightLogical(p0, 32) ^ d0 ^ key1, Vector256.ShiftRightLogical(q0, 32) ^ d1 ^ key1);
                (b0, b1, d0, d1) = (p1 & low32, q1 & low32, p0 & low32, q0 & low32);
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            ToUnit(a0, a1, unit).CopyTo(radius.Slice(16 * g, 8));
            ToUnit(c0, c1, unit).CopyTo(radius.Slice(16 * g + 8, 8));
            ToUnit(b0, b1, unit).CopyTo(angle.Slice(16 * g, 8));
            ToUnit(d0, d1, unit).CopyTo(angle.Slice(16 * g + 8, 8));
        }
    }

    // ((x >> 8) + 1)·2⁻²⁴ for the 32-bit words in 64-bit lanes: exact (at most 2²⁴), as in Philox.ToUnitInterval.
    private static Vector256<float> ToUnit(Vector256<ulong> first, Vector256<ulong> second, Vector256<float> unit)
        => Vector256.ConvertToSingle((Vector256.ShiftRightLogical(Vector256.Narrow(first, second), 8) + Vector256<uint>.One).AsInt32()) * unit;

    // ((x >> 8) + 1)·2⁻²⁴ for the eight words of each vector: exact, as in Philox.ToUnitInterval.
    private static Vector512<float> ToUnit(Vector512<ulong> first, Vector512<ulong> second, Vector512<float> unit)
    {
        var one = Vector512<ulong>.One;
        var low = Vector512.ConvertToDouble(Vector512.ShiftRightLogical(first, 8) + one);
        var high = Vector512.ConvertToDouble(Vector512.ShiftRightLogical(second, 8) + one);
        return Vector512.Narrow(low, high) * unit;
    }
}
