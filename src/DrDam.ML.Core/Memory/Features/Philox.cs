using System.Runtime.CompilerServices;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// Philox4x32-10 (Salmon et al., 2011): a counter-based generator. The output is a pure function of
/// (key, counter), so any block of random numbers can be regenerated on its own, on any thread.
/// </summary>
public static class Philox
{
    /// <summary>The multipliers of a round's two products (the vector paths of GaussianRows use them too).</summary>
    internal const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;

    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The first round's key: the 64-bit key's two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (uint K0, uint K1) FirstKey(ulong key) => ((uint)key, (uint)(key >> 32));

    /// <summary>The next round's key (each half advanced by its Weyl constant, wrapping at 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (uint K0, uint K1) NextKey((uint K0, uint K1) key) => (key.K0 + W0, key.K1 + W1);

    /// <summary>Ten Philox rounds of the counter (c0..c3) under the 64-bit key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Generate(ulong key, uint c0, uint c1, uint c2, uint c3)
    {
        var (k0, k1) = FirstKey(key);
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            var n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (uint)p1;
            c2 = n2;
            c3 = (uint)p0;
            (k0, k1) = NextKey((k0, k1));
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Maps 32 random bits to a uniform float in (0, 1] (never 0, so its logarithm is finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUnitInterval(uint bits) => ((bits >> 8) + 1) * (1f / (1 << 24));
}
