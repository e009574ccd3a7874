namespace DrDam.ML.Clustering;

/// <summary>k-means++ seeding (Arthur and Vassilvitskii, 2007): each new centre is a data point drawn with probability ∝ its squared distance to the nearest chosen centre.</summary>
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
}
