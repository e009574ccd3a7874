namespace DrDam.ML.Samples.Approximation;

/// <summary>The paper's synthetic memories (docs/MATH.md §5): D-dimensional binary patterns with entries in {0, 1/√D}.</summary>
internal static class BinaryPatterns
{
    /// <summary>A generator determined by the study's seed and a stream number (the same in every process, unlike HashCode).</summary>
    public static Random Generator(int seed, int stream) => new(unchecked((int)((uint)seed * 2654435761u) ^ stream));

    /// <summary>count×D patterns, each entry 1/√D with probability ½, else 0.</summary>
    public static float[] Random(int count, int dimension, Random random)
    {
        var high = 1 / MathF.Sqrt(dimension);
        var patterns = new float[count * dimension];
        for (var i = 0; i < patterns.Length; i++)
            patterns[i] = random.Next(2) == 1 ? high : 0;
        return patterns;
    }

    /// <summary>Copies of the first <paramref name="count"/> patterns with round(fraction·D) distinct bits of each flipped.</summary>
    public static float[] Flip(ReadOnlySpan<float> patterns, int count, int dimension, double fraction, Random random)
    {
        var high = 1 / MathF.Sqrt(dimension);
        var flips = (int)Math.Round(fraction * dimension);
        var result = patterns[..(count * dimension)].ToArray();
        var order = Enumerable.Range(0, dimension).ToArray();
        for (var r = 0; r < count; r++)
        {
            random.Shuffle(order);
            foreach (var c in order.AsSpan(0, flips))
                result[r * dimension + c] = result[r * dimension + c] > high / 2 ? 0 : high;
        }
        return result;
    }

    /// <summary>
    /// The mean normalised Hamming distance between two sets of states after binarising them at
    /// 1/(2√D): the fraction of coordinates on which the binarised rows differ, averaged over rows.
    /// </summary>
    public static double HammingDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int dimension)
    {
        if (a.Length != b.Length || a.Length % dimension != 0)
            throw new ArgumentException($"Both state sets must be count×{dimension} (got {a.Length} and {b.Length} values).");
        var threshold = 0.5f / MathF.Sqrt(dimension);
        var differing = 0L;
        for (var i = 0; i < a.Length; i++)
            if (a[i] > threshold != b[i] > threshold)
                differing++;
        return (double)differing / a.Length;
    }
}
