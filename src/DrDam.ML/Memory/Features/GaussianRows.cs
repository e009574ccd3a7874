using System.Buffers;
using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Features;

/// <summary>
/// Rows of independent standard normal numbers, addressed by (seed, stream, row): row r is the same
/// whichever thread asks for it and whatever was generated before (Box–Muller over Philox uniforms).
/// </summary>
public static class GaussianRows
{
    /// <summary>Fills <paramref name="destination"/> with row <paramref name="row"/> of the stream.</summary>
    public static void Fill(ulong seed, RandomStream stream, long row, Span<float> destination)
    {
        var pairs = (destination.Length + 1) / 2;
        var rented = ArrayPool<float>.Shared.Rent(2 * pairs);
        try
        {
            var radius = rented.AsSpan(0, pairs);
            var angle = rented.AsSpan(pairs, pairs);
            var rowLow = (uint)row;
            var rowHigh = (uint)((ulong)row >> 32) | ((uint)stream << 24);
            for (var j = 0; 2 * j < pairs; j++)
            {
                var (a, b, c, d) = Philox.Generate(seed, (uint)j, rowLow, rowHigh, 0x44524441u);
                radius[2 * j] = Philox.ToUnitInterval(a);
                angle[2 * j] = Philox.ToUnitInterval(b);
                if (2 * j + 1 < pairs)
                {
                    radius[2 * j + 1] = Philox.ToUnitInterval(c);
                    angle[2 * j + 1] = Philox.ToUnitInterval(d);
                }
            }
            // r = √(−2 ln u₁), θ = 2π u₂; the row is [r cos θ | r sin θ] (first half cosines).
            TensorPrimitives.Log(radius, radius);
            TensorPrimitives.Multiply(radius, -2f, radius);
            TensorPrimitives.Sqrt(radius, radius);
            TensorPrimitives.Multiply(angle, 2f * MathF.PI, angle);
            var cos = destination[..pairs];
            var sinCount = destination.Length - pairs;
            var sin = angle; // sin θ overwrites θ in place
            TensorPrimitives.SinCos(angle, sin, cos);
            TensorPrimitives.Multiply(cos, radius, cos);
            TensorPrimitives.Multiply(sin[..sinCount], radius[..sinCount], destination[pairs..]);
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
}
