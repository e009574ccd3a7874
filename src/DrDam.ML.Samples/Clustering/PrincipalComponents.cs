using System.Numerics.Tensors;

namespace DrDam.ML.Samples.Clustering;

/// <summary>The first two principal components by power iteration with deflation (enough for a picture).</summary>
internal static class PrincipalComponents
{
    public static (double X, double Y)[] Project2D(float[][] points)
    {
        var d = points[0].Length;
        var mean = new double[d];
        foreach (var p in points)
            for (var j = 0; j < d; j++)
                mean[j] += p[j] / (double)points.Length;
        var centred = points.Select(p => p.Select((v, j) => (float)(v - mean[j])).ToArray()).ToArray();
        var first = Leading(centred, null);
        var second = Leading(centred, first);
        return centred.Select(p => ((double)TensorPrimitives.Dot(p, first), (double)TensorPrimitives.Dot(p, second))).ToArray();
    }

    // The leading eigenvector of the covariance, orthogonal to `exclude` when given.
    private static float[] Leading(float[][] centred, float[]? exclude)
    {
        var d = centred[0].Length;
        var random = new Random(1);
        var v = Enumerable.Range(0, d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var next = new float[d];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            Array.Clear(next);
            foreach (var p in centred)
                TensorPrimitives.MultiplyAdd(p, TensorPrimitives.Dot(p, v), next, next);
            if (exclude is not null)
                TensorPrimitives.MultiplyAdd(exclude, -TensorPrimitives.Dot(next, exclude), next, next);
            var norm = TensorPrimitives.Norm(next);
            if (norm == 0)
                break;
            TensorPrimitives.Divide(next, norm, v);
        }
        return v;
    }
}
