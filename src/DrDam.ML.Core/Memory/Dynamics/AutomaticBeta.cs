using System.Numerics.Tensors;

namespace DrDam.ML.Memory.Dynamics;

/// <summary>
/// β chosen from the patterns themselves, in units of their spread: with s = E‖ξ − ξ′‖², the mean squared
/// distance between two stored patterns (over a fixed-seed sample of at most <see cref="SampleSize"/> of them),
/// MrDAM gets β = <see cref="MatrixSharpness"/>/s and DrDAM β = <see cref="DistributedSharpness"/>/s: its random
/// features resolve a kernel value only above their noise ≈ √(K/Y), and kernel values fall exponentially with β.
/// The rule is scale-free (scaling the data by c scales β by 1/c²). docs/MATH.md §6 explains it; the constants
/// were measured with the <c>beta</c> command (README, "Automatic β").
/// </summary>
public static class AutomaticBeta
{
    /// <summary>β·s for MrDAM: the lowest imputation error on iris, digits and Fashion-MNIST.</summary>
    public const double MatrixSharpness = 32;

    /// <summary>β·s for DrDAM: the largest value whose retrieval stayed stable on all three with Y ≥ 20·K.</summary>
    public const double DistributedSharpness = 8;

    /// <summary>The most patterns whose pairwise distances are averaged (O(S²·D) work).</summary>
    public const int SampleSize = 1000;

    /// <summary>MrDAM's β for <paramref name="rows"/> patterns of <paramref name="dimension"/> values each, row-major.</summary>
    /// <exception cref="ArgumentException">Fewer than two distinct patterns: no distance to set β from.</exception>
    public static double ForMatrix(ReadOnlySpan<float> patterns, int rows, int dimension)
        => MatrixSharpness / Spread(patterns, rows, dimension);

    /// <summary>DrDAM's β from (a sample of) its patterns: a quarter of MrDAM's, which its feature noise can follow.</summary>
    /// <exception cref="ArgumentException">Fewer than two distinct patterns: no distance to set β from.</exception>
    public static double ForDistributed(ReadOnlySpan<float> patterns, int rows, int dimension)
        => DistributedSharpness / Spread(patterns, rows, dimension);

    /// <summary>s = E‖ξ − ξ′‖² over the pairs of a seeded sample of the rows (0 when fewer than two rows).</summary>
    public static double MeanSquaredDistance(ReadOnlySpan<float> patterns, int rows, int dimension)
    {
        Guard.Positive(dimension, nameof(dimension));
        Guard.Length(patterns.Length, (long)rows * dimension, nameof(patterns), "rows × dimension");
        if (rows < 2)
            return 0;
        var sample = Sample(rows);
        double sum = 0;
        for (var a = 0; a < sample.Length; a++)
        {
            var x = patterns.Slice(sample[a] * dimension, dimension);
            for (var b = a + 1; b < sample.Length; b++)
            {
                var distance = (double)TensorPrimitives.Distance(x, patterns.Slice(sample[b] * dimension, dimension));
                sum += distance * distance;
            }
        }
        return sum / (sample.Length * (sample.Length - 1) / 2.0);
    }

    private static double Spread(ReadOnlySpan<float> patterns, int rows, int dimension)
    {
        var spread = MeanSquaredDistance(patterns, rows, dimension);
        if (!(spread > 0) || !double.IsFinite(spread))
            throw new ArgumentException($"β cannot be chosen from the data: the patterns' mean squared distance is {spread} ({rows} patterns, fewer than two distinct). Set Beta explicitly.", nameof(patterns));
        return spread;
    }

    // Every row when there are few; otherwise a fixed-seed sample without replacement (the same β on every run).
    private static int[] Sample(int rows)
    {
        var all = Enumerable.Range(0, rows).ToArray();
        if (rows <= SampleSize)
            return all;
        new Random(0).Shuffle(all);
        return all[..SampleSize];
    }
}
