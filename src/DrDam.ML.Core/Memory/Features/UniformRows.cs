namespace DrDam.ML.Memory.Features;

/// <summary>Rows of uniform numbers in (0, 1], addressed by (seed, stream, row) like <see cref="GaussianRows"/>.</summary>
public static class UniformRows
{
    /// <summary>Fills <paramref name="destination"/> with row <paramref name="row"/> of the stream.</summary>
    public static void Fill(ulong seed, RandomStream stream, long row, Span<float> destination)
    {
        var high = (uint)((ulong)row >> 32) | ((uint)stream << 24);
        for (var j = 0; 4 * j < destination.Length; j++)
        {
            var (a, b, c, d) = Philox.Generate(seed, (uint)j, (uint)row, high, 0x554E4946u);
            var at = 4 * j;
            destination[at] = Philox.ToUnitInterval(a);
            if (at + 1 < destination.Length) destination[at + 1] = Philox.ToUnitInterval(b);
            if (at + 2 < destination.Length) destination[at + 2] = Philox.ToUnitInterval(c);
            if (at + 3 < destination.Length) destination[at + 3] = Philox.ToUnitInterval(d);
        }
    }
}
