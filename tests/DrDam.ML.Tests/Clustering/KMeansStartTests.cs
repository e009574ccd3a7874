using DrDam.ML.Clustering;
using DrDam.ML.Native;
using TorchSharp;

namespace DrDam.ML.Tests.Clustering;

/// <summary>ClAM's k-means start: restarts refined together, the one of highest simplified silhouette kept.</summary>
public class KMeansStartTests
{
    private const int Rows = 300, D = 3, K = 5;

    public KMeansStartTests() => TorchSharpNative.EnsureLoaded();

    private static float[] Uniform(int seed) => Oracle.Uniform(new Random(seed), Rows * D, -1, 1);

    // The mean over rows of 1 − a/b, a and b the distances to the nearest and second-nearest centre (float64).
    private static double SimplifiedSilhouette(float[] data, float[] centres)
    {
        var total = 0.0;
        for (var i = 0; i < Rows; i++)
        {
            var distances = Enumerable.Range(0, centres.Length / D)
                .Select(c => Math.Sqrt(Enumerable.Range(0, D).Sum(j => Math.Pow(data[i * D + j] - centres[c * D + j], 2))))
                .Order().ToArray();
            total += 1 - distances[0] / distances[1];
        }
        return total / Rows;
    }

    [Fact]
    public void RefinedStartsAreLloydFixedPointsAndTheirSilhouettesMatchTheDefinition()
    {
        var data = Uniform(1);
        using var x = torch.tensor(data, [Rows, D]);
        var starts = KMeansPlusPlus.Seeds(x, K, seed: 3, count: 4);
        var silhouettes = TorchLloyd.Refine(x, starts, iterations: 100);
        for (var s = 0; s < starts.Length; s++)
        {
            Assert.Equal(SimplifiedSilhouette(data, starts[s]), silhouettes[s], 1e-5);
            // Converged: every centre is the mean of the rows nearest to it.
            var nearest = Enumerable.Range(0, Rows).Select(i => Enumerable.Range(0, K)
                .MinBy(c => Enumerable.Range(0, D).Sum(j => Math.Pow(data[i * D + j] - starts[s][c * D + j], 2)))).ToArray();
            for (var c = 0; c < K; c++)
            {
                var members = Enumerable.Range(0, Rows).Where(i => nearest[i] == c).ToArray();
                for (var j = 0; j < D; j++)
                    Assert.Equal(members.Average(i => data[i * D + j]), starts[s][c * D + j], 1e-4);
            }
        }
    }

    [Fact]
    public void TheStartIsTheRestartOfHighestSimplifiedSilhouette()
    {
        var data = Uniform(2);
        using var x = torch.tensor(data, [Rows, D]);
        var starts = KMeansPlusPlus.Seeds(x, K, seed: 7, count: KMeansPlusPlus.Restarts);
        var silhouettes = TorchLloyd.Refine(x, starts, KMeansPlusPlus.RestartIterations);
        Assert.True(silhouettes.Distinct().Count() > 1, "the restarts should reach different clusterings, or the choice is not tested");
        var expected = starts[Array.IndexOf(silhouettes, silhouettes.Max())];
        Assert.Equal(expected, KMeansPlusPlus.BestOf(data, Rows, D, K, seed: 7));
    }

    [Fact]
    public void EachSeedingPicksDistinctRowsReproducibly()
    {
        var data = Uniform(3);
        using var x = torch.tensor(data, [Rows, D]);
        var seedings = KMeansPlusPlus.Seeds(x, K, seed: 11, count: 3);
        Assert.Equal(seedings[1], KMeansPlusPlus.Seed(data, Rows, D, K, seed: 12)); // the s-th seeding is seed + s's
        foreach (var centres in seedings)
        {
            var rows = Enumerable.Range(0, K).Select(c => Enumerable.Range(0, Rows).Single(i => data.AsSpan(i * D, D).SequenceEqual(centres.AsSpan(c * D, D)))).ToArray();
            Assert.Equal(K, rows.Distinct().Count());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeansPlusPlus.Seeds(x, Rows + 1, seed: 0, count: 1));
    }

    [Fact]
    public void OneClusterIsTheMeanOfTheRows()
    {
        var data = Uniform(4);
        var centre = KMeansPlusPlus.BestOf(data, Rows, D, 1, seed: 0);
        for (var j = 0; j < D; j++)
            Assert.Equal(Enumerable.Range(0, Rows).Average(i => data[i * D + j]), centre[j], 1e-5);
    }
}
