namespace DrDam.ML.Samples.Clustering;

/// <summary>External and internal clustering scores, defined as scikit-learn defines them (so its published anchors compare).</summary>
internal static class ClusteringScores
{
    /// <summary>Normalised mutual information with the arithmetic-mean normaliser: MI / ((H(U) + H(V)) / 2).</summary>
    public static double NormalizedMutualInformation(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        double mi = 0;
        foreach (var ((a, b), count) in table)
            mi += count / n * Math.Log(count * n / (rows[a] * columns[b]));
        var hu = -rows.Values.Sum(c => c / n * Math.Log(c / n));
        var hv = -columns.Values.Sum(c => c / n * Math.Log(c / n));
        return hu + hv == 0 ? 1 : mi / ((hu + hv) / 2);
    }

    /// <summary>Adjusted Rand index (Hubert and Arabie).</summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        static double Pairs(double x) => x * (x - 1) / 2;
        var index = table.Values.Sum(Pairs);
        var (sumRows, sumColumns) = (rows.Values.Sum(Pairs), columns.Values.Sum(Pairs));
        var expected = sumRows * sumColumns / Pairs(n);
        var max = (sumRows + sumColumns) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    /// <summary>Mean Euclidean silhouette over all points (0 for points alone in their cluster).</summary>
    public static double Silhouette(float[][] points, IReadOnlyList<int> labels)
    {
        var clusters = labels.Distinct().ToArray();
        var sizes = clusters.ToDictionary(c => c, c => labels.Count(l => l == c));
        var total = new double[points.Length];
        Parallel.For(0, points.Length, i =>
        {
            var sums = clusters.ToDictionary(c => c, _ => 0.0);
            for (var j = 0; j < points.Length; j++)
                if (j != i)
                    sums[labels[j]] += System.Numerics.Tensors.TensorPrimitives.Distance(points[i], points[j]);
            var own = labels[i];
            if (sizes[own] == 1)
                return;
            var a = sums[own] / (sizes[own] - 1);
            var b = clusters.Where(c => c != own).Min(c => sums[c] / sizes[c]);
            total[i] = (b - a) / Math.Max(a, b);
        });
        return total.Average();
    }

    private static (Dictionary<(int, int), double> Table, Dictionary<int, double> Rows, Dictionary<int, double> Columns, double N) Contingency(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var table = new Dictionary<(int, int), double>();
        var rows = new Dictionary<int, double>();
        var columns = new Dictionary<int, double>();
        for (var i = 0; i < truth.Count; i++)
        {
            table[(truth[i], predicted[i])] = table.GetValueOrDefault((truth[i], predicted[i])) + 1;
            rows[truth[i]] = rows.GetValueOrDefault(truth[i]) + 1;
            columns[predicted[i]] = columns.GetValueOrDefault(predicted[i]) + 1;
        }
        return (table, rows, columns, truth.Count);
    }
}
