using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// Box–Muller: two uniforms (u₁, u₂) ∈ (0, 1]² give two independent standard normals r·cos θ and r·sin θ,
/// r = √(−2 ln u₁), θ = 2π(u₂ − ½). The half angle s = θ/2 lies in (−π/2, π/2], where short Taylor
/// polynomials give sin s and cos s to float precision; sin θ = 2 sin s cos s and
/// cos θ = (cos s − sin s)(cos s + sin s), which, unlike 1 − 2 sin² s, does not cancel near θ = ±π.
/// Vector and scalar paths use the same fused multiply-adds, so they agree bit for bit.
/// </summary>
internal static class BoxMuller
{
    /// <summary>Overwrites <paramref name="radius"/> (u₁) with r; writes r·cos θ and r·sin θ from <paramref name="angle"/> (u₂).</summary>
    public static void Transform(Span<float> radius, ReadOnlySpan<float> angle, Span<float> cosines, Span<float> sines)
    {
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2f, radius);
        TensorPrimitives.Sqrt(radius, radius);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= sines.Length; i += 16)
            {
                var (sin, cos) = SinCos(Vector512.Create(angle.Slice(i, 16)));
                var r = Vector512.Create(radius.Slice(i, 16));
                (r * cos).CopyTo(cosines.Slice(i, 16));
                (r * sin).CopyTo(sines.Slice(i, 16));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= sines.Length; i += 8)
            {
                var (sin, cos) = SinCos(Vector256.Create(angle.Slice(i, 8)));
                var r = Vector256.Create(radius.Slice(i, 8));
                (r * cos).CopyTo(cosines.Slice(i, 8));
                (r * sin).CopyTo(sines.Slice(i, 8));
            }
        }
        for (; i < cosines.Length; i++)
        {
            var (sin, cos) = SinCos(angle[i]);
            cosines[i] = radius[i] * cos;
            if (i < sines.Length)
                sines[i] = radius[i] * sin;
        }
    }

    // Taylor coefficients of sin and cos in z = s², highest first.
    private const float S11 = -1f / 39916800, S9 = 1f / 362880, S7 = -1f / 5040, S5 = 1f / 120, S3 = -1f / 6;
    private const float C12 = 1f / 479001600, C10 = -1f / 3628800, C8 = 1f / 40320, C6 = -1f / 720, C4 = 1f / 24, C2 = -0.5f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Sin, Vector512<float> Cos) SinCos(Vector512<float> u)
    {
        var s = (u - Vector512.Create(0.5f)) * Vector512.Create(MathF.PI);
        var z = s * s;
        var ps = Vector512.FusedMultiplyAdd(z, Vector512.Create(S11), Vector512.Create(S9));
        ps = Vector512.FusedMultiplyAdd(z, ps, Vector512.Create(S7));
        ps = Vector512.FusedMultiplyAdd(z, ps, Vector512.Create(S5));
        ps = Vector512.FusedMultiplyAdd(z, ps, Vector512.Create(S3));
        ps = Vector512.FusedMultiplyAdd(z, ps, Vector512<float>.One);
        var sinHalf = s * ps;
        var pc = Vector512.FusedMultiplyAdd(z, Vector512.Create(C12), Vector512.Create(C10));
        pc = Vector512.FusedMultiplyAdd(z, pc, Vector512.Create(C8));
        pc = Vector512.FusedMultiplyAdd(z, pc, Vector512.Create(C6));
        pc = Vector512.FusedMultiplyAdd(z, pc, Vector512.Create(C4));
        pc = Vector512.FusedMultiplyAdd(z, pc, Vector512.Create(C2));
        var cosHalf = Vector512.FusedMultiplyAdd(z, pc, Vector512<float>.One);
        var two = Vector512.Create(2f);
        return (two * sinHalf * cosHalf, (cosHalf - sinHalf) * (cosHalf + sinHalf));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Sin, Vector256<float> Cos) SinCos(Vector256<float> u)
    {
        var s = (u - Vector256.Create(0.5f)) * Vector256.Create(MathF.PI);
        var z = s * s;
        var ps = Vector256.FusedMultiplyAdd(z, Vector256.Create(S11), Vector256.Create(S9));
        ps = Vector256.FusedMultiplyAdd(z, ps, Vector256.Create(S7));
        ps = Vector256.FusedMultiplyAdd(z, ps, Vector256.Create(S5));
        ps = Vector256.FusedMultiplyAdd(z, ps, Vector256.Create(S3));
        ps = Vector256.FusedMultiplyAdd(z, ps, Vector256<float>.One);
        var sinHalf = s * ps;
        var pc = Vector256.FusedMultiplyAdd(z, Vector256.Create(C12), Vector256.Create(C10));
        pc = Vector256.FusedMultiplyAdd(z, pc, Vector256.Create(C8));
        pc = Vector256.FusedMultiplyAdd(z, pc, Vector256.Create(C6));
        pc = Vector256.FusedMultiplyAdd(z, pc, Vector256.Create(C4));
        pc = Vector256.FusedMultiplyAdd(z, pc, Vector256.Create(C2));
        var cosHalf = Vector256.FusedMultiplyAdd(z, pc, Vector256<float>.One);
        var two = Vector256.Create(2f);
        return (two * sinHalf * cosHalf, (cosHalf - sinHalf) * (cosHalf + sinHalf));
    }

    internal static (float Sin, float Cos) SinCos(float u)
    {
        var s = (u - 0.5f) * MathF.PI;
        var z = s * s;
        var ps = MathF.FusedMultiplyAdd(z, S11, S9);
        ps = MathF.FusedMultiplyAdd(z, ps, S7);
        ps = MathF.FusedMultiplyAdd(z, ps, S5);
        ps = MathF.FusedMultiplyAdd(z, ps, S3);
        ps = MathF.FusedMultiplyAdd(z, ps, 1f);
        var sinHalf = s * ps;
        var pc = MathF.FusedMultiplyAdd(z, C12, C10);
        pc = MathF.FusedMultiplyAdd(z, pc, C8);
        pc = MathF.FusedMultiplyAdd(z, pc, C6);
        pc = MathF.FusedMultiplyAdd(z, pc, C4);
        pc = MathF.FusedMultiplyAdd(z, pc, C2);
        var cosHalf = MathF.FusedMultiplyAdd(z, pc, 1f);
        return (2f * sinHalf * cosHalf, (cosHalf - sinHalf) * (cosHalf + sinHalf));
    }
}
