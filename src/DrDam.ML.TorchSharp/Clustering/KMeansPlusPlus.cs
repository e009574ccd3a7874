using DrDam.ML.Compute.Torch;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Clustering;

/// <summary>
/// k-means++ seeding (Arthur and Vassilvitskii, 2007): each new centre is a data point drawn with probability ∝ its
/// squared distance to the nearest chosen centre; and <see cref="BestOf(float[], int, int, int, int)"/>, the k-means
/// start ClAM trains from.
/// </summary>
public static class KMeansPlusPlus
{
    /// <summary>k centres (row-major k×d) chosen from <paramref name="rows"/> points (row-major n×d), reproducibly from <paramref name="seed"/>.</summary>
    public static float[] Seed(ReadOnlySpan<float> data, int rows, int dimension, int k, int seed)
    {
        Memory.Guard.Length(data.Length, (long)rows * dimension, nameof(data), $"rows×dimension ({rows}×{dimension})");
        TorchSharpNative.EnsureLoaded();
        using var x = torch.tensor(data.ToArray(), [rows, dimension]);
        return Seeds(x, k, seed, 1)[0];
    }

    /// <summary>
    /// <paramref name="count"/> k-means++ seedings of the rows of <paramref name="x"/> (n×d), the s-th drawn with
    /// <c>new Random(seed + s)</c>. The seedings advance together: each new centre of every seeding costs one n×count
    /// product of squared distances, and the draws are made on the host from those distances.
    /// </summary>
    internal static float[][] Seeds(Tensor x, int k, int seed, int count)
    {
        var (rows, dimension) = ((int)x.shape[0], (int)x.shape[1]);
        if (k < 1 || k > rows)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, rows = {rows}].");
        using var scope = torch.NewDisposeScope();
        var randoms = Enumerable.Range(0, count).Select(s => new Random(seed + s)).ToArray();
        var chosen = new long[k, count];
        var picked = randoms.Select(r => (long)r.Next(rows)).ToArray();
        var norms = x.mul(x).sum(1).unsqueeze(1); // n×1
        Tensor? nearest = null; // n×count: squared distance of every row to its nearest chosen centre, per seeding
        for (var c = 0; c < k; c++)
        {
            for (var s = 0; s < count; s++)
                chosen[c, s] = picked[s];
            if (c + 1 == k)
                break;
            var centres = x.index_select(0, torch.tensor(picked, device: x.device)); // count×d
            var distances = norms.add(centres.mul(centres).sum(1).unsqueeze(0), TorchScalars.One).addmm(x, centres.t(), beta: 1, alpha: -2).relu();
            nearest = nearest is null ? distances : nearest.minimum(distances);
            var values = nearest.to_type(ScalarType.Float64).cpu().data<double>().ToArray(); // row-major n×count
            for (var s = 0; s < count; s++)
                picked[s] = Draw(values, s, count, rows, randoms[s]);
        }
        var all = x.index_select(0, torch.tensor(Enumerable.Range(0, count).SelectMany(s => Enumerable.Range(0, k).Select(c => chosen[c, s])).ToArray(), device: x.device));
        var flat = all.cpu().data<float>().ToArray();
        return [.. Enumerable.Range(0, count).Select(s => flat.AsSpan(s * k * dimension, k * dimension).ToArray())];
    }

    // A row drawn with probability ∝ its squared distance to the nearest centre (column s of the n×count distances);
    // any row when every row sits on a centre.
    private static long Draw(double[] distances, int s, int count, int rows, Random random)
    {
        var total = 0.0;
        for (var i = 0; i < rows; i++)
            total += distances[i * count + s];
        if (total <= 0)
            return random.Next(rows);
        var target = random.NextDouble() * total;
        for (var i = 0; i < rows; i++)
        {
            target -= distances[i * count + s];
            if (target < 0)
                return i;
        }
        return rows - 1;
    }

    /// <summary>Restarts of <see cref="BestOf(float[], int, int, int, int)"/> (scikit-learn's n_init; 3 and 6 found lower silhouettes on iris and Fashion-MNIST).</summary>
    public const int Restarts = 10;

    /// <summary>Lloyd iterations per restart at most (most of the gain comes in the first tens; ClAM training refines the rest).</summary>
    public const int RestartIterations = 20;

    /// <summary>Lloyd iterations of the winner on every row, when the restarts ran on a sample (it starts close, and ClAM training refines it).</summary>
    public const int FullDataIterations = 3;

    /// <summary>Rows the restarts of <see cref="BestOf(float[], int, int, int, int)"/> run on at most (a seeded sample above this).</summary>
    public const int RestartRows = 4096;

    /// <summary>
    /// The best of <see cref="Restarts"/> seeded k-means++ + Lloyd runs by simplified silhouette (on a seeded sample of
    /// <see cref="RestartRows"/> rows when there are more), then the winner refined by Lloyd on every row. The restarts
    /// run together as libtorch matrix products (<see cref="TorchLloyd"/>) with libtorch's current threads. Picking by
    /// silhouette rather than by within-cluster sum of squares (scikit-learn's n_init) raised ClAM's silhouette above
    /// KMeans' on iris, digits and Fashion-MNIST (docs/CLUSTERING.md).
    /// </summary>
    public static float[] BestOf(float[] data, int rows, int dimension, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        TorchSharpNative.EnsureLoaded();
        using var all = torch.tensor(data, [rows, dimension]);
        return BestOf(data, all, k, seed);
    }

    /// <summary><see cref="BestOf(float[], int, int, int, int)"/> with the rows also given as a tensor (<paramref name="all"/>, n×d, on any device), which the final Lloyd iterations run on.</summary>
    internal static float[] BestOf(float[] data, Tensor all, int k, int seed)
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
        using (var x = sampleRows < rows ? torch.tensor(sample, [sampleRows, dimension], device: all.device) : all.alias())
        {
            var starts = Seeds(x, k, seed, Restarts);
            var silhouettes = TorchLloyd.Refine(x, starts, RestartIterations);
            best = starts[Array.IndexOf(silhouettes, silhouettes.Max())]; // ties go to the lowest restart, so the result is deterministic
        }
        if (sampleRows < rows)
            TorchLloyd.Refine(all, [best], FullDataIterations);
        return best;
    }
}
