using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Dynamics;

/// <summary>
/// β chosen from the patterns themselves: β = <see cref="Sharpness"/> / m, where m is the median squared
/// distance from a pattern to its nearest other distinct pattern (over a seeded sample of at most
/// <see cref="SampleSize"/> patterns). At a stored pattern the nearest neighbour's weight relative to the
/// pattern's own is then exp(−β·m/2) = exp(−Sharpness/2) for the typical pattern, so the descent ends at
/// one pattern rather than a blend of neighbours. docs/MATH.md §6 has the derivation and the measurements
/// that set <see cref="Sharpness"/>.
/// </summary>
public static class AutomaticBeta
{
    /// <summary>β·m, the product the rule fixes (measured on iris, digits and Fashion-MNIST; README).</summary>
    public const double Sharpness = 8;

    /// <summary>The most patterns whose nearest-neighbour distances are computed (O(S·K·D) work).</summary>
    public const int SampleSize = 1000;

    /// <summary>β for <paramref name="rows"/> patterns of <paramref name="dimension"/> values each, row-major.</summary>
    /// <exception cref="ArgumentException">Fewer than two distinct patterns: no distance to set β from.</exception>
    public static double FromPatterns(ReadOnlySpan<float> patterns, int rows, int dimension, ulong seed = 0)
    {
        Guard.Positive(dimension, nameof(dimension));
        Guard.Length(patterns.Length, checked(rows * dimension), nameof(patterns), "rows × dimension");
        var median = MedianNearestSquaredDistance(patterns, rows, dimension, seed);
        if (!(median > 0))
            throw new ArgumentException($"β cannot be chosen from the data: the patterns' median nearest-neighbour distance is {median} (fewer than two distinct patterns among {rows}). Set Beta explicitly.", nameof(patterns));
        return Sharpness / median;
    }

    /// <summary>The median, over a seeded sample of rows, of the squared distance to the nearest other distinct row (0 when there is none).</summary>
    public static double MedianNearestSquaredDistance(ReadOnlySpan<float> patterns, int rows, int dimension, ulong seed = 0)
    {
        if (rows < 2)
            return 0;
        var sample = Sample(rows, seed);
        var nearest = new double[sample.Length];
        for (var s = 0; s < sample.Length; s++)
        {
            var a = patterns.Slice(sample[s] * dimension, dimension);
            var best = double.PositiveInfinity;
            for (var j = 0; j < rows; j++)
            {
                if (j == sample[s])
                    continue;
                var d2 = TensorPrimitives.Distance(a, patterns.Slice(j * dimension, dimension));
                if (d2 > 0)
                    best = Math.Min(best, (double)d2 * d2);
            }
            nearest[s] = best;
        }
        // Exact duplicates say nothing about how far apart the memories are: the median is over the rest.
        var distinct = nearest.Where(d => d > 0 && double.IsFinite(d)).Order().ToArray();
        return distinct.Length == 0 ? 0 : distinct[distinct.Length / 2];
    }

    // Every row when there are few; otherwise a seeded sample without replacement.
    private static int[] Sample(int rows, ulong seed)
    {
        var all = Enumerable.Range(0, rows).ToArray();
        if (rows <= SampleSize)
            return all;
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).Shuffle(all);
        return all[..SampleSize];
    }
}
