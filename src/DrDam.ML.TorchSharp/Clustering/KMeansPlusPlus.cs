namespace DrDam.ML.Clustering;

/// <summary>
/// k-means++ seeding (Arthur and Vassilvitskii, 2007): each new centre is a data point drawn with probability ∝ its
/// squared distance to the nearest chosen centre; and <see cref="BestOf(float[], int, int, int, int)"/>, the k-means start ClAM trains from.
/// </summary>
public static class KMeansPlusPlus
{
    /// <summary>k centres (row-major k×d) chosen from <paramref name="rows"/> points (row-major n×d), reproducibly from <paramref name="seed"/>.</summary>
    public static float[] Seed(ReadOnlySpan<float> data, int rows, int dimension, int k, int seed)
    {
        if (k < 1 || k > rows)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, rows = {rows}].");
        var random = new Random(seed);
        var centres = new float[k * dimension];
        var nearest = new double[rows];
        Array.Fill(nearest, double.PositiveInfinity);
        var chosen = random.Next(rows);
        for (var c = 0; c < k; c++)
        {
            data.Slice(chosen * dimension, dimension).CopyTo(centres.AsSpan(c * dimension, dimension));
            var centre = centres.AsSpan(c * dimension, dimension);
            var total = 0.0;
            for (var i = 0; i < rows; i++)
            {
                var d2 = (double)System.Numerics.Tensors.TensorPrimitives.Distance(data.Slice(i * dimension, dimension), centre);
                nearest[i] = Math.Min(nearest[i], d2 * d2);
                total += nearest[i];
            }
            if (c + 1 == k)
                break;
            if (total <= 0)
            {
                chosen = random.Next(rows); // every point coincides with a centre
                continue;
            }
            var target = random.NextDouble() * total;
            chosen = rows - 1;
            for (var i = 0; i < rows; i++)
            {
                target -= nearest[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
        }
        return centres;
    }

    /// <summary>Restarts of <see cref="BestOf(float[], int, int, int, int)"/> (scikit-learn's n_init).</summary>
    public const int Restarts = 3;

    /// <summary>Lloyd iterations per restart at most (most of the gain comes in the first tens; ClAM training refines the rest).</summary>
    public const int RestartIterations = 20;

    /// <summary>Lloyd iterations of the winner on every row, when the restarts ran on a sample (it starts close, and ClAM training refines it).</summary>
    public const int FullDataIterations = 3;

    /// <summary>Rows the restarts of <see cref="BestOf(float[], int, int, int, int)"/> run on at most (a seeded sample above this).</summary>
    public const int RestartRows = 4096;

    /// <summary>
    /// The best of <see cref="Restarts"/> seeded k-means++ + Lloyd runs by within-cluster sum of squares (on a seeded
    /// sample of <see cref="RestartRows"/> rows when there are more), then the winner refined by Lloyd on every row.
    /// Lloyd runs as libtorch matrix products (<see cref="TorchLloyd"/>) with libtorch's current threads.
    /// </summary>
    public static float[] BestOf(float[] data, int rows, int dimension, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        DrDam.ML.Native.TorchSharpNative.EnsureLoaded();
        using var all = TorchSharp.torch.tensor(data, [rows, dimension]);
        return BestOf(data, all, k, seed);
    }

    /// <summary><see cref="BestOf(float[], int, int, int, int)"/> with the rows also given as a tensor (<paramref name="all"/>, n×d, on any device), which the final Lloyd iterations run on.</summary>
    internal static float[] BestOf(float[] data, TorchSharp.torch.Tensor all, int k, int seed)
    {
        var (rows, dimension) = ((int)all.shape[0], (int)all.shape[1]);
        var (sample, sampleRows) = (data, rows);
        if (rows > RestartRows)
        {
            var picked = Enumerable.Range(0, rows).ToArray();
            new Random(seed).Shuffle(picked);
            sample = new float[RestartRows * dimension];
            for (var i = 0; i < RestartRows; i++)
                data.AsSpan(picked[i] * dimension, dimension).CopyTo(sample.AsSpan(i * dimension));
            sampleRows = RestartRows;
        }
        float[] best;
        using (var x = sampleRows < rows ? TorchSharp.torch.tensor(sample, [sampleRows, dimension], device: all.device) : all.alias())
        {
            best = Enumerable.Range(0, Restarts).Select(run =>
            {
                var centres = Seed(sample, sampleRows, dimension, k, seed + run);
                return (Centres: centres, Inertia: TorchLloyd.Refine(x, centres, RestartIterations));
            }).MinBy(r => r.Inertia).Centres; // ties go to the lowest restart, so the result is deterministic
        }
        if (sampleRows < rows)
            TorchLloyd.Refine(all, best, FullDataIterations);
        return best;
    }
}
