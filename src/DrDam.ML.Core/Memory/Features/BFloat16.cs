using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// bfloat16, the upper 16 bits of an IEEE float: the same exponent range, an 8-bit significand. Rounding keeps the
/// nearest value (ties to even); widening back is a 16-bit shift, so reading a bfloat16 Ω costs almost nothing over
/// reading a float one, at half the bytes.
/// </summary>
internal static class BFloat16
{
    /// <summary>Rounds every finite value of <paramref name="values"/> to the nearest bfloat16 (ties to even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Round(ReadOnlySpan<float> values, Span<ushort> destination)
    {
        Guard.Length(destination.Length, values.Length, nameof(destination), "values.Length");
        var bits = MemoryMarshal.Cast<float, uint>(values);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= bits.Length; i += 32)
            {
                var low = RoundedHigh(Vector512.Create(bits.Slice(i, 16)));
                var high = RoundedHigh(Vector512.Create(bits.Slice(i + 16, 16)));
                Vector512.Narrow(low, high).CopyTo(destination.Slice(i, 32));
            }
        }
        for (; i < bits.Length; i++)
            destination[i] = (ushort)((bits[i] + 0x7FFFu + ((bits[i] >> 16) & 1)) >> 16);
    }

    /// <summary>Widens bfloat16 values back to floats (exactly).</summary>
    /// <remarks>Every step runs this, so it has a 256-bit path too; <see cref="Round"/> runs once, when Ω is made.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(ReadOnlySpan<ushort> values, Span<float> destination)
    {
        Guard.Length(destination.Length, values.Length, nameof(destination), "values.Length");
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= values.Length; i += 32)
            {
                var (low, high) = Vector512.Widen(Vector512.Create(values.Slice(i, 32)));
                Vector512.ShiftLeft(low, 16).CopyTo(bits.Slice(i, 16));
                Vector512.ShiftLeft(high, 16).CopyTo(bits.Slice(i + 16, 16));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= values.Length; i += 16)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(values.Slice(i, 16)));
                Vector256.ShiftLeft(low, 16).CopyTo(bits.Slice(i, 8));
                Vector256.ShiftLeft(high, 16).CopyTo(bits.Slice(i + 8, 8));
            }
        }
        for (; i < values.Length; i++)
            bits[i] = (uint)values[i] << 16;
    }

    // (bits + 0x7FFF + lowest kept bit) >> 16: round to nearest, ties to even.
    private static Vector512<uint> RoundedHigh(Vector512<uint> bits)
        => Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + (Vector512.ShiftRightLogical(bits, 16) & Vector512<uint>.One), 16);
}
