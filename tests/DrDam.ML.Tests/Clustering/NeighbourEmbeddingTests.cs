using DrDam.ML.Clustering;
using DrDam.ML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DrDam.ML.Tests.Clustering;

/// <summary>Deep ClAM's neighbour embedding: the input's k-nearest-neighbour graph and the loss over its edges.</summary>
public class NeighbourEmbeddingTests
{
    public NeighbourEmbeddingTests() => TorchSharpNative.EnsureLoaded();

    /// <summary>Every row's neighbours are the brute-force nearest other rows, nearest first, across row blocks.</summary>
    [Fact]
    public void GraphHoldsTheNearestOtherRowsAcrossBlocks()
    {
        const int rows = NeighbourGraph.BlockRows + 300, d = 5, count = 7;
        var data = Oracle.Uniform(new Random(3), rows * d, -1, 1);
        using var x = torch.tensor(data, [rows, d]);
        using var graph = NeighbourGraph.Nearest(x, count);
        Assert.Equal([rows, count], graph.shape);
        var found = graph.data<long>().ToArray();
        foreach (var i in new[] { 0, 1, 500, NeighbourGraph.BlockRows - 1, NeighbourGraph.BlockRows, rows - 1 })
        {
            var expected = Enumerable.Range(0, rows).Where(j => j != i)
                .OrderBy(j => Enumerable.Range(0, d).Sum(c => Math.Pow(data[i * d + c] - data[j * d + c], 2))).Take(count).Select(j => (long)j);
            Assert.Equal(expected, found.Skip(i * count).Take(count));
        }
    }

    [Fact]
    public void GraphRejectsAsManyNeighboursAsRows()
    {
        using var x = torch.zeros(4, 2);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourGraph.Nearest(x, 4)).ParamName);
    }

    // The loss by its definition, in float64: mean log(1 + d²) over the edges, plus the repulsion's weight times the mean
    // over m of mean(log(1 + d²) − log(d² + 1e-4)) between each code and the neighbour code m rows further on.
    private static double Expected(double[] codes, double[] neighbours, int rows, int latent)
    {
        double Squared(int i, int j) => Enumerable.Range(0, latent).Sum(c => Math.Pow(codes[i * latent + c] - neighbours[j * latent + c], 2));
        var attraction = Enumerable.Range(0, rows).Average(i => Math.Log(1 + Squared(i, i)));
        var negatives = Math.Min(NeighbourEmbeddingLoss.NegativeSamples, rows - 1);
        if (negatives == 0)
            return attraction;
        // roll(m) puts row i − m at i.
        var repulsion = Enumerable.Range(1, negatives).Average(m => Enumerable.Range(0, rows)
            .Average(i => Math.Log(1 + Squared(i, (i - m + rows) % rows)) - Math.Log(Squared(i, (i - m + rows) % rows) + 1e-4)));
        return attraction + NeighbourEmbeddingLoss.RepulsionWeight * repulsion;
    }

    [Theory]
    [InlineData(13)] // more rows than negative samples
    [InlineData(4)] // fewer: every other row once
    [InlineData(1)] // attraction only
    public void LossMatchesItsDefinitionAndItsGradientTheFiniteDifference(int rows)
    {
        const int latent = 3;
        var random = new Random(rows);
        var codes = Enumerable.Range(0, rows * latent).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var neighbours = Enumerable.Range(0, rows * latent).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        using var z = torch.tensor(codes, [rows, latent], requires_grad: true);
        using var p = torch.tensor(neighbours, [rows, latent]);
        using var loss = NeighbourEmbeddingLoss.Compute(z, p);
        Assert.Equal(Expected(codes, neighbours, rows, latent), loss.item<double>(), 1e-10);

        loss.backward();
        var gradient = z.grad!.data<double>().ToArray();
        const double h = 1e-6;
        for (var i = 0; i < codes.Length; i++)
        {
            var plus = (double[])codes.Clone();
            var minus = (double[])codes.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (Expected(plus, neighbours, rows, latent) - Expected(minus, neighbours, rows, latent)) / (2 * h);
            Assert.Equal(numeric, gradient[i], 1e-6);
        }
    }

    [Fact]
    public void BadDeepOptionsAreRejectedNamingTheOption()
    {
        Assert.Equal("NeighbourWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new DeepClusteringOptions { NeighbourWeight = -1 }).ParamName);
        Assert.Equal("NeighbourCount", Assert.Throws<ArgumentOutOfRangeException>(() => new DeepClusteringOptions { NeighbourCount = 0 }).ParamName);
        Assert.Equal("NeighbourWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new DeepClusteringOptions { NeighbourWeight = double.NaN }).ParamName);
    }
}
